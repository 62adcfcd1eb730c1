"""Let the example test import its sibling module, as a test in your own project imports your cell."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
