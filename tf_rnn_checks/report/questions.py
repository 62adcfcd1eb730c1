"""``questions.md``: the questions people ask about TF1 recurrent cells, each answered from a report's checks.

Every :class:`Question` declares, by role, the patterns of the check ids that answer it (``*`` matches any text;
a pattern without ``[`` matches every case of the check) and a function that builds the short answer from the
outcomes and observations of those checks in a given report, so an answer is always "as observed on that
TensorFlow". A question whose checks are missing from the report, or did not pass, says so instead of answering.
Where a recipe is asked for, the page prints the source of tested code (:mod:`tf_rnn_checks.references.recipes`).
Checks matched by a role the answer does not read are still listed, with their observations in full, so a new
check joins a question by adding one pattern.
"""

from __future__ import annotations

import inspect
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tf_rnn_checks.references import recipes
from tf_rnn_checks.report.format import check_anchor, outcome_label, summary_text

Block = str


class Unanswered(Exception):
    """The report cannot answer: a check the answer needs is missing or did not pass (the message says which)."""


@dataclass(frozen=True)
class Question:
    """One question in a user's words, the checks that answer it (role -> id pattern) and its answer builder."""

    slug: str
    text: str
    checks: dict[str, str]
    answer: Callable[[Evidence], list[Block]]
    recipes: tuple[Callable[..., Any], ...] = ()
    recipe_note: str = ""


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    body = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.compile(body + ("" if "[" in pattern else r"(\[.*\])?") + r"\Z")


def matches(pattern: str, check_id: str) -> bool:
    """Whether ``check_id`` (``family::test_name[case]``) matches ``pattern`` (see the module docstring)."""
    return _pattern_regex(pattern).match(check_id) is not None


def _case(entry: dict[str, Any]) -> str:
    return entry["id"].split("[", 1)[1][:-1] if "[" in entry["id"] else ""


def _label(entry: dict[str, Any]) -> str:
    """The cell (or else the case) of a check's case, in code style."""
    return f"`{entry['params'].get('cell', _case(entry))}`"


class Evidence:
    """The report's checks matched by one question's patterns, read by role; reading a role that did not pass raises."""

    def __init__(self, report: dict[str, Any], question: Question) -> None:
        self.question = question
        self.matched = {role: [e for e in report["checks"] if matches(pattern, e["id"])] for role, pattern in question.checks.items()}
        self.read: set[str] = set()

    def problem(self, role: str) -> str | None:
        """Why ``role`` cannot answer, or ``None``: it needs at least one passed case and none that failed (skips are allowed)."""
        entries = self.matched[role]
        if not entries:
            return f"no check matching `{self.question.checks[role]}` is in this report (renamed, removed or not selected)"
        bad = [e for e in entries if e["outcome"] not in ("passed", "skipped")]
        if not bad and any(e["outcome"] == "passed" for e in entries):
            return None
        bad = bad or entries
        first = bad[0]
        reason = f": {first['reason']}" if first.get("reason") else ""
        more = f" (and {len(bad) - 1} more case{'s' if len(bad) > 2 else ''} like it)" if len(bad) > 1 else ""
        return f"`{first['id']}` {first['outcome']}{reason}{more}"

    def cases(self, role: str) -> list[dict[str, Any]]:
        """The passed cases of ``role``; :class:`Unanswered` naming the problem when :meth:`problem` finds one."""
        self.read.add(role)
        problem = self.problem(role)
        if problem:
            raise Unanswered(problem)
        return [e for e in self.matched[role] if e["outcome"] == "passed"]

    def case(self, role: str, contains: str = "") -> dict[str, Any]:
        """The first passed case of ``role`` whose case label contains ``contains``."""
        for entry in self.cases(role):
            if contains in _case(entry):
                return entry
        raise Unanswered(f"no case of `{self.question.checks[role]}` with `{contains}` in this report")

    def optional(self, role: str) -> tuple[list[dict[str, Any]], str | None]:
        """``(passed cases, problem)`` for a role the answer can do without."""
        self.read.add(role)
        return [e for e in self.matched[role] if e["outcome"] == "passed"], self.problem(role)


# ----------------------------------------------------------------------------------------------- formatting


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _code(text: Any) -> str:
    text = " ".join(_value(text).split())
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if fence == "`" else f"{fence} {text} {fence}"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Block:
    """A Markdown table; every value in full (no cut)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def fenced(text: str, language: str = "") -> Block:
    fence = "````" if "```" in text else "```"
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def shape(value: Any) -> str:
    return "(" + ", ".join(str(v) for v in value) + ("," if len(value) == 1 else "") + ")"


def inventory_block(inventory: dict[str, Any], what: str = "shape") -> Block:
    """Variable names with their shapes (or values), one per line, aligned, in a fenced block."""
    width = max((len(name) for name in inventory), default=0)
    render = shape if what == "shape" else _value
    return fenced("\n".join(f"{name.ljust(width)}  {render(value)}" for name, value in inventory.items()))


def _number(value: float) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _values(values: Sequence[Any]) -> str:
    return ", ".join(_code(v) for v in dict.fromkeys(_value(v) for v in values))


# ----------------------------------------------------------------------------------------------- answers


def _drivers_of(cases: list[dict[str, Any]]) -> list[str]:
    """The drivers the cases ran under, read from their cell labels (``... under static_rnn``; none: ``dynamic_rnn``)."""
    found = [re.search(r" under (\w+)", str(case["params"].get("cell", _case(case)))) for case in cases]
    return list(dict.fromkeys(match.group(1) if match else "dynamic_rnn" for match in found))


def _stacks_shown(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stacked cells' cases whose weights the page lists in full: those under a bidirectional driver, else every stack."""
    stacks = [case for case in cases if "MultiRNNCell" in str(case["params"].get("cell", _case(case)))]
    return [case for case in stacks if "bidirectional" in str(case["params"].get("cell", _case(case)))] or stacks


def _initializer_scope(ev: Evidence) -> list[Block]:
    every = ev.cases("every_weight")
    kernels = {name: value for case in every for name, value in case["observations"]["weights_initial_first_value"].items()}
    both = sum(1 for n in kernels if "/bw/" in n), sum(1 for n in kernels if "/fw/" in n)
    stacked = sorted({m for n in kernels for m in re.findall(r"/(cell_\d+)/", n)})
    biases = {n: v for case in ev.cases("biases") for n, v in case["observations"]["bias_values"].items()}
    inner = ev.case("inner")["observations"]["initial_values"]
    own = ev.cases("cell_argument")
    own_values = {n: v for case in own for n, v in case["observations"]["weights_initial_first_value"].items()}
    answer = (
        f"Yes for every kernel, peephole and projection, no for biases. An initializer set on a `variable_scope` above the "
        f"driver gave its value ({_values(kernels.values())}) to all {len(kernels)} non-bias weights of {len(every)} cases "
        f"(under {', '.join(f'`{d}`' for d in _drivers_of(every))}"
        + (f"; {both[1]} under `fw`, {both[0]} under `bw`" if any(both) else "")
        + (f"; through {', '.join(f'`{c}`' for c in stacked)} of stacked cells" if stacked else "")
        + f"); the biases kept their defaults ({_values(biases.values())})."
    )
    details = [
        _orthogonal_sentence(ev),
        *_orthogonal_kernels(ev),
        "An inner scope's initializer wins for the cells below it only (starting values: "
        + ", ".join(f"`{n}` = {_code(v)}" for n, v in inner.items() if n.endswith("/kernel"))
        + f"), and a cell's own `initializer=` (LSTMCell) or `kernel_initializer=` (GRUCell) wins over every scope "
        f"(values {_values(own_values.values())}).",
    ]
    for case in _stacks_shown(every):
        details.append(f"Starting values of the non-bias weights of {_label(case)}:")
        details.append(inventory_block(case["observations"]["weights_initial_first_value"], what="value"))
    return [answer, *details]


def _orthogonal_sentence(ev: Evidence) -> Block:
    """What a real orthogonal initializer did, from the question's ``orthogonal`` role when one is declared."""
    constant = "The checks above use a constant initializer so that each weight's starting value can be read off"
    if "orthogonal" not in ev.question.checks:
        return f"{constant}; that a real `tf.orthogonal_initializer()` draws orthogonal matrices for these kernels is not pinned by this report."
    problem = ev.problem("orthogonal")
    if problem:
        return f"{constant}. What a real `tf.orthogonal_initializer()` on the scope does is not answered by this report: {problem}."
    cases = [e for e in ev.cases("orthogonal") if e["outcome"] == "passed"]
    # Each kernel maps to the identity that held ("W W^T = I (orthonormal rows)"), or to a flag.
    verdicts = {name: held for case in cases for name, held in (case["observations"].get("orthogonal_as_a_whole") or {}).items()}
    held = [name for name, verdict in verdicts.items() if verdict and verdict is not False]
    identities = _values([v for v in verdicts.values() if isinstance(v, str)])
    counted = f"{len(held)} of {len(verdicts)} distinct kernels came out orthogonal as a whole" if verdicts else "see below"
    return (
        f"A real `tf.orthogonal_initializer()` on the scope was checked too, in {len(cases)} passed cases: {counted}"
        + (f" ({identities})" if identities else "")
        + "; each kernel and the identity that held:"
    )


def _orthogonal_kernels(ev: Evidence) -> list[Block]:
    """Each kernel the orthogonal role's passed cases saw, with the identity that held, per case."""
    if "orthogonal" not in ev.question.checks or ev.problem("orthogonal"):
        return []
    blocks: list[Block] = []
    for case in (e for e in ev.cases("orthogonal") if e["outcome"] == "passed"):
        blocks += [f"{_label(case)}:", inventory_block(case["observations"].get("orthogonal_as_a_whole") or {}, what="value")]
    return blocks


def _same_cell_twice(ev: Evidence) -> list[Block]:
    cases = ev.cases("same_cell")
    scopes = sorted({m for case in cases for n in case["observations"]["inventory"] for m in re.findall(r"/(cell_\d+)/", n)})
    warning = ev.case("warning")["observations"]["log_records"]
    errors = ev.cases("shape_error")
    answer = (
        f"Yes: `MultiRNNCell([cell] * 2)` creates one set of variables, all under {', '.join(f'`{s}`' for s in scopes)}, "
        f"and both layers compute with it; TensorFlow logs " + "; ".join(f"{level} {_code(message)}" for _, level, message in warning)
    )
    more = (
        f"Checked for {', '.join(_label(c) for c in cases)}: the stack gives what two cells holding equal values give, "
        f"and the gradient is the sum of the two layers' gradients. Because one kernel serves both layers, the cell's input width must equal its `num_units`: with 4 inputs and "
        f"`GRUCell(3)` it fails in layer 1 with a shape error ({', '.join(dict.fromkeys(c['observations']['error']['type'] for c in errors))}; "
        f"messages below)."
    )
    # TF's message text varies by build, so the check records which of its pinned phrases the message contained.
    rows = [
        (c["params"].get("mode", _case(c)), c["observations"]["error"]["type"], " / ".join(c["observations"]["error"]["contains"]))
        for c in errors
    ]
    gru = next((c for c in cases if "GRUCell" in _case(c)), cases[0])
    return [
        answer,
        more,
        "For separate weights per layer build one cell object per layer, `MultiRNNCell([GRUCell(n) for _ in range(2)])`, "
        "which gives `cell_0` and `cell_1` (see the question on `cell_0`/`cell_1`).",
        f"The variables of `MultiRNNCell([{gru['params'].get('cell', _case(gru))}] * 2)`:",
        inventory_block(gru["observations"]["inventory"]),
        "The error when the input width differs from `num_units`, per execution mode:",
        table(("mode", "error", "message contains"), rows),
    ]


def _share_between_cells(ev: Evidence) -> list[Block]:
    reuse = ev.cases("reuse")
    second = ev.cases("second_call")
    exists = ev.cases("exists")[0]["observations"]["error_first_line"]
    eager = ev.case("eager")["observations"]["variable_names_per_cell"]
    modes = sorted({case["params"].get("reuse", "") for case in reuse} - {""})
    answer = (
        f"Call the driver again with the same cell objects, or, in a TF1 graph, build the new cell under "
        f"`tf.compat.v1.variable_scope(name, reuse=...)` with {' or '.join(f'`{m}`' for m in modes) or 'reuse'}: either way the "
        f"existing variables are used by name and none are created."
    )
    more = (
        f"A second driver call created no new variables in {len(second)} cases, a new cell under a reuse scope none in "
        f"{len(reuse)}. Without reuse, a new cell in the same scope of a TF1 graph raises ValueError {_code(exists)}. "
        f"Eagerly, scope reuse does not share: each new cell gets its own variables with the same names "
        f"({len(eager)} cells, each {_values([', '.join(names) for names in eager])})."
    )
    return [answer, more]


def _gru_by_hand(ev: Evidence) -> list[Block]:
    order = ev.case("gate_order")["observations"]
    new_h = ev.case("new_h")["observations"]["difference_if_u_weights_candidate"]
    reset = ev.case("reset")["observations"]["difference_if_reset_after"]
    case = max(ev.cases("inventory"), key=lambda c: max(v[-1] for v in c["observations"]["inventory"].values()))
    inventory = case["observations"]["inventory"]
    kernel = next(v for n, v in inventory.items() if n.endswith("gates/kernel"))
    units = kernel[1] // 2
    n_in = kernel[0] - units
    reference = ev.cases("reference")
    swaps = ev.cases("swaps") + ev.cases("rows")
    gates = order["gate_order"].split(",")
    answer = (
        f"`gates/kernel` holds the gates side by side, first `{gates[0]}` (reset), then `{gates[1]}` (update, often called z); "
        f"`candidate/kernel` holds the candidate. In each kernel the first input-width rows multiply x (W_r, W_z, W_h) and the "
        f"other `num_units` rows the state h (U_r, U_z, U_h): r = σ(x W_r + h U_r + b_r), z = σ(x W_z + h U_z + b_z), "
        f"h̃ = tanh(x W_h + (r ∘ h) U_h + b_h), h' = z ∘ h + (1 − z) ∘ h̃."
    )
    more = (
        f"Two details differ from many hand-written GRUs: the reset multiplies h *before* the "
        f"candidate's matmul (applying it after, `r ∘ (h U_h)` as Keras `reset_after=True` does, differed from TF by "
        f"{_number(reset)}), and z = 1 keeps the old state (the opposite convention differed by {_number(new_h)}). Reading the "
        f"blocks as u, r instead disagreed with TF, and so did swapping r and u in only "
        f"the input rows, only the recurrent rows or only the bias, or swapping input and recurrent rows ({len(swaps)} cases)."
    )
    return [
        answer,
        more,
        f"Shapes for `{case['params'].get('cell', _case(case))}` on {n_in} inputs (rows = {n_in} input + {units} state):",
        inventory_block(inventory),
        f"What TF's check said when the blocks were read as u, r: {_code(order.get('ur_rejected_with', ''))}",
        _reference_sentence("GRU", reference),
    ]


def _reference_sentence(kind: str, reference: list[dict[str, Any]]) -> Block:
    worst = max(float(case["observations"].get("max_abs_error", 0.0)) for case in reference)
    return (
        f"The recipe below is tested against the suite's NumPy reference {kind}, which gave TensorFlow's outputs and final "
        f"states in {len(reference)} cell configurations on this TensorFlow (largest difference {_number(worst)})."
    )


def _stacked_layers(ev: Evidence) -> list[Block]:
    cases = ev.cases("layers")
    variables = cases[0]["observations"]["variables_in_creation_order"]
    kernels = [(name, value) for name, value in variables if "/kernel" in name]
    biases = {re.sub(r"/bias:0$", "", name): value[0] for name, value in variables if name.endswith("/bias:0")}
    explained = []
    below = None
    for name, (rows, units) in kernels:
        scope = re.sub(r"/kernel:0$", "", name)
        units = biases.get(scope, units)
        layer = re.search(r"cell_\d+", name)
        source = "the inputs" if below is None else f"the {below}-wide output of the layer below"
        explained.append(f"`{layer.group(0) if layer else scope}`: {rows} = {rows - units} ({source}) + {units} (its own state)")
        below = units
    unrolled = ev.cases("unrolled")
    layers = ", ".join(f"`{m}`" for m in dict.fromkeys(re.findall(r"cell_\d+", " ".join(n for n, _ in kernels))))
    answer = (
        f"They are layers, not time steps: a `MultiRNNCell` of {len(kernels)} cells is a {len(kernels)}-layer network whose "
        f"layers are {layers}. Each kernel multiplies `[layer input, previous state]`, so its rows are input width + state "
        f"width: " + "; ".join(explained) + "."
    )
    more = (
        f"The time steps do share weights: unrolling over any length created the identical variable inventory "
        f"({len(unrolled)} cases). Observed identically in {', '.join(c['params'].get('mode', _case(c)) for c in cases)}."
    )
    return [answer, more, "The variables, in creation order:", inventory_block(dict(variables))]


def _lstm_kernel_order(ev: Evidence) -> list[Block]:
    order = ev.cases("gate_order")
    gates = order[0]["observations"]["gate_order"].split(",")
    rows = ev.cases("rows")
    plain = next((c for c in rows if "num_proj" not in _case(c)), rows[0])
    kernel = plain["observations"]["kernel"]
    n_rows, columns = kernel["shape"]
    units = columns // 4
    n_in = n_rows - units
    edits = plain["observations"]["change_after_editing_recurrent_rows"]
    swaps = ev.cases("swaps")
    ev.cases("interchange")
    reference = ev.cases("reference")
    names = {"i": "input gate", "j": "new input (candidate)", "f": "forget gate", "o": "output gate"}
    blocks = ", ".join(f"`{g}` = {names.get(g, g)} (columns {k * units}:{(k + 1) * units})" for k, g in enumerate(gates))
    slices = ", ".join(f"W_{g} = kernel[:{n_in}, {k * units}:{(k + 1) * units}]" for k, g in enumerate(gates))
    answer = (
        f"Columns come in four blocks of `num_units` in the order {', '.join(gates)}, in the kernel and in the bias; rows: the "
        f"first `input_size` rows multiply the input x, the rest the previous output h. For "
        f"`{plain['params'].get('cell', _case(plain))}` on {n_in} inputs, `{kernel['path']}` is {shape(kernel['shape'])}: "
        f"{slices}, and U_g is the same columns of kernel[{n_in}:]."
    )
    more = (
        f"The blocks are {blocks}; with `num_proj` the recurrent rows are `num_proj` many. (Editing only the recurrent rows changed step 0 "
        f"by {_number(edits.get('step0'))}, where h is still zero, and step 1 by {_number(edits.get('step1'))}.) Any other order "
        f"disagrees with TF: reading the blocks as i, f, j, o (the Keras and PyTorch order) did, and swapping any two blocks in only the input rows, "
        f"only the recurrent rows or only the bias broke agreement in all {len(swaps)} cases. `forget_bias` is not in "
        f"the bias; it is added to the f block at run time (see the forget_bias question)."
    )
    return [
        answer,
        more,
        f"What TF's check said when the blocks were read as i, f, j, o: {_code(order[0]['observations'].get('ifjo_rejected_with', ''))}",
        _reference_sentence("LSTM", reference),
    ]


def _bias_defaults(ev: Evidence) -> list[Block]:
    starts = ev.cases("defaults")
    rows = []
    for case in starts:
        for name, bias in case["observations"]["biases"].items():
            rows.append((case["params"].get("cell", _case(case)), f"`{name}`", shape(bias["shape"]), _values(bias["values"])))
    gru = {n: v for case in ev.cases("gru_initializer") for n, v in case["observations"]["biases"].items()}
    scope = ev.cases("scope")
    summary = {}
    for cell, name, _, values in rows:
        summary.setdefault(values, []).append(f"{name} of {cell.split('(')[0]}")
    answer = (
        "They start at constants, not random values: "
        + "; ".join(f"{values} for {', '.join(dict.fromkeys(names))}" for values, names in summary.items())
        + "."
    )
    more = (
        f"A `variable_scope` initializer does not change them ({len(scope)} cells checked), while GRUCell's "
        f"`bias_initializer=` replaces both of its biases (observed {', '.join(f'`{n}` = {_values(v)}' for n, v in gru.items())})."
    )
    return [answer, more, table(("cell", "bias", "shape", "starting value of every entry"), rows)]


def _short_names(paths: Sequence[str]) -> list[str]:
    return [f"`{path.rsplit('/', 1)[-1]}`" for path in paths]


def _forget_bias(ev: Evidence) -> list[Block]:
    runtime = ev.cases("runtime")
    checkpoint = ev.cases("checkpoint")
    stored = checkpoint[0]["observations"]
    elsewhere = {k: v for case in runtime for k, v in case["observations"].get("difference_if_forget_bias_went_elsewhere", {}).items()}
    answer = (
        f"Not in the weights: the stored bias starts at zeros and `forget_bias` is added to its f block at every step, so a "
        f"checkpoint holds only {' and '.join(_short_names(stored['checkpoint_variables']))} and a "
        f"restore needs a cell built with the same `forget_bias`."
    )
    more = (
        f"`forget_bias=b` equals `forget_bias=0` with b added to the stored f block ({len(runtime)} cases)"
        + (
            ". Adding it elsewhere disagreed with TF (" + ", ".join(f"{k}: {_number(v)}" for k, v in elsewhere.items()) + ")"
            if elsewhere
            else ""
        )
        + f". A Saver checkpoint of an LSTM built with forget_bias={stored['config_forget_bias']} holds only "
        + ", ".join(f"`{n}` {shape(s)}" for n, s in stored["checkpoint_variables"].items())
        + f"; the {stored['config_forget_bias']} lives only in the cell's constructor arguments (`get_config()`), so restore "
        "into a cell built with the same `forget_bias`, and fold it into the f block when moving the weights elsewhere."
    )
    rows = [
        (case["params"].get("cell", _case(case)), value, _value(outputs))
        for case in runtime
        for value, outputs in case["observations"]["outputs_by_forget_bias"].items()
    ]
    return [answer, more, "Final outputs of one batch row, by `forget_bias`:", table(("cell", "forget_bias", "final output"), rows)]


def _lstm_state(ev: Evidence) -> list[Block]:
    tuples = ev.cases("tuple")
    state = tuples[0]["observations"]["state"]
    flat = ev.cases("flat")
    rows = [(c["params"].get("cell", _case(c)), shape(c["observations"]["flat_state_shape"])) for c in flat]
    answer = (
        f"By default an `{state['type']}` with fields ({', '.join(state['fields'])}), c first, h the last output; with "
        f"`state_is_tuple=False` one tensor, `concat([c, h], axis=1)`, holding the same numbers."
    )
    more = (
        f"`state[0] is state.c` was {state['first_is_c']} for {len(tuples)} cells. The one-tensor state's shapes (batch 2): "
        + ", ".join(f"{s} for `{cell}`" for cell, s in rows)
        + "; with `num_proj` h is num_proj wide."
    )
    return [answer, more]


def _sequence_length(ev: Evidence) -> list[Block]:
    cases = ev.cases("padding")
    forward = [v for c in cases for v in c["observations"].get("forward_padding_values", [])]
    backward = [v for c in cases for v in c["observations"].get("backward_padding_values", [])]
    drivers = list(dict.fromkeys(c["params"].get("driver", _case(c)) for c in cases))
    answer = (
        "Outputs past a row's length are exactly zero; the final state is the state at the row's last valid step (its h is "
        "the last valid output), and a zero-length row's final state is its initial state."
    )
    more = (
        f"Every padded output value observed: {_values(forward)} forward"
        + (f", {_values(backward)} backward" if backward else "")
        + f"; checked under {', '.join(f'`{d}`' for d in drivers)}."
    )
    return [answer, more]


def _checkpoint_names(ev: Evidence) -> list[Block]:
    saver = ev.cases("saver")
    objects = ev.cases("object")
    renamed = ev.case("renamed")["observations"]["error_key_line"]
    bidirectional = next((c for c in saver if "bidirectional" in _case(c)), saver[0])
    stack = next((c for c in objects if "MultiRNNCell" in _case(c)), objects[0])["observations"]
    first = next(iter(stack["saver_keys"]))
    answer = (
        f"A `tf.compat.v1.train.Saver` stores each variable under its full name without `:0`, scopes included "
        f"(`{first}`); `tf.train.Checkpoint(cell=cell)` stores object paths (`{next(iter(stack['object_keys']))}`). Because "
        f"the scope is part of the name, a checkpoint written under scope `encoder` does not restore under `decoder`: "
        f"{_code(renamed)}."
    )
    pairs = list(zip(stack["saver_keys"].items(), stack["object_keys"].items(), strict=False))
    return [
        answer,
        f"Saver keys of the `{bidirectional['params'].get('driver', _case(bidirectional))}` stack (every `fw` and `bw` key):",
        inventory_block(bidirectional["observations"]["checkpoint_keys"]),
        "Saver keys and `tf.train.Checkpoint` keys of one `MultiRNNCell(LSTMCell, GRUCell)` under `dynamic_rnn`:",
        table(
            ("Saver key", "shape", "tf.train.Checkpoint key", "shape"),
            [(f"`{a}`", shape(s), f"`{b}`", shape(t)) for (a, s), (b, t) in pairs],
        ),
    ]


def _conversion(ev: Evidence) -> list[Block]:
    lstm = ev.cases("lstm_bias")[0]["observations"]
    gru = ev.cases("gru_bias")[0]["observations"]
    naive = ev.cases("gru_naive")[0]["observations"]
    reset = ev.cases("gru_reset")[0]["observations"]
    keras_ok = ev.cases("keras_converted")
    worst = max(c["observations"]["max_abs_error"] for c in keras_ok)
    converted = f"Keras cells reproduced TF1 in {len(keras_ok)} cases (largest error {_number(worst)})"
    answer = (
        f"Not as stored: the bias conventions differ (TF1 LSTM adds `forget_bias` at run time, Keras stores it; TF1 GRU "
        f"starts `gates/bias` at {_values(gru['tf1_initial_biases'].get('gates/bias', []))}) and Keras's default GRU resets "
        f"after the matmul. Converted with `tf_rnn_checks.convert`, "
        f"{converted}."
    )
    more = (
        f"LSTM: a new TF1 LSTMCell stores an all-zero bias and adds `forget_bias` at run time, while a new "
        f"Keras LSTMCell stores {_code(lstm['keras_initial_bias'])} (1.0 in its forget block; Keras orders the gates i, f, c, o, "
        f"TF1 i, j, f, o); the bias copied unconverted changed the outputs by {_number(lstm['max_abs_difference_unconverted_bias'])}. "
        f"GRU: TF1 starts `gates/bias` at {_values(gru['tf1_initial_biases'].get('gates/bias', []))}, Keras at "
        f"{_values(gru['keras_initial_bias'])}; Keras's default GRUCell (reset_after={naive['keras_default_reset_after']}) "
        f"given the TF1 weights as stored differed by {_number(naive['max_abs_difference'])}, and even with the gates "
        f"reordered `reset_after=True` differs ({_number(reset['max_abs_difference_full_candidate'])}) unless the candidate's "
        f"recurrent kernel is diagonal ({_number(reset['max_abs_error_diagonal_candidate'])}); the converter targets "
        f"`GRUCell(reset_after=False)`."
    )
    details = [more]
    for role, what in (
        ("torch_gru", "PyTorch `nn.GRU` given a TF1 GRUCell's weights"),
        ("torch_converted", "PyTorch modules loaded with converted weights"),
    ):
        passed, problem = ev.optional(role)
        if problem:
            details.append(f"{what}: not observed in this report — {problem}.")
        else:
            details.append(f"{what}: {len(passed)} case{'s' if len(passed) != 1 else ''} passed — {passed[0]['docstring']}")
    refusal = reset.get("refusal")
    if refusal:
        details.append(f"What `gru_to_keras` says when asked for `reset_after=True`: {_code(refusal)}")
    return [answer, *details]


def _default_initializer(ev: Evidence) -> list[Block]:
    glorot = ev.cases("glorot")
    seeds = ev.cases("seeds")
    rows = [
        (c["params"].get("cell", _case(c)), f"`{n}`", _number(v)) for c in glorot for n, v in c["observations"]["glorot_limits"].items()
    ]
    without = {c["observations"]["same_kernel_twice_without_initializer"] for c in seeds}
    seeded = {c["observations"]["same_kernel_twice_with_seeded_scope_initializer"] for c in seeds}
    answer = (
        "`glorot_uniform` over the whole fused kernel, and no: it ignores TensorFlow's seeds, so for reproducible weights give "
        "the scope or the cell a seeded initializer."
    )
    more = (
        f"The limit is sqrt(6 / (fan_in + fan_out)) with fan_out the full 4 × units (LSTM) or 2 × units (GRU gates) width "
        f"({len(glorot)} cells; limits below). Two identical builds under the same seed drew the same kernel: "
        f"{_values(sorted(without))} (in {', '.join(c['params'].get('mode', _case(c)) for c in seeds)}); with a seeded "
        f"initializer on the scope: {_values(sorted(seeded))}."
    )
    return [answer, more, table(("cell", "variable", "uniform limit"), rows)]


QUESTIONS: tuple[Question, ...] = (
    Question(
        "scope-initializer",
        "If I set an initializer (say `tf.orthogonal_initializer()`) on a `variable_scope`, does it reach the weights of a "
        "bidirectional `MultiRNNCell` of LSTM or GRU cells?",
        {
            "every_weight": "cell_contract::test_outer_scope_initializer_reaches_weights",
            "biases": "initializer_inheritance::test_biases_ignore_the_scope_initializer",
            "inner": "initializer_inheritance::test_inner_scope_initializer_overrides_outer_only_below_it",
            "cell_argument": "cell_contract::test_initializer_argument_reaches_weights",
            "orthogonal": "initializer_recipes::test_orthogonal_scope_around_a_bidirectional_multirnncell",
        },
        _initializer_scope,
    ),
    Question(
        "same-cell-twice",
        "Are the weights shared when I stack one `GRUCell` object twice, `MultiRNNCell([cell] * 2)`?",
        {
            "same_cell": "weight_sharing::test_same_cell_twice_in_multirnncell_shares_one_set_of_weights",
            "warning": "weight_sharing::test_same_cell_twice_logs_the_will_share_weights_warning",
            "shape_error": "weight_sharing::test_same_cell_twice_with_a_different_input_size_raises_a_shape_error",
        },
        _same_cell_twice,
    ),
    Question(
        "share-between-cells",
        "How do I make two cells (or two calls) share one set of weights?",
        {
            "second_call": "cell_contract::test_second_call_reuses_variables",
            "reuse": "weight_sharing::test_new_cell_under_a_reuse_scope_reuses_variables_by_name",
            "exists": "weight_sharing::test_new_cell_in_the_same_scope_without_reuse_raises_already_exists",
            "eager": "weight_sharing::test_eager_cells_ignore_scope_reuse_and_never_collide",
        },
        _share_between_cells,
    ),
    Question(
        "gru-by-hand",
        "How do I compute `GRUCell`'s step by hand, with explicit W_r, W_z, W_h taken from `gates/kernel` and `candidate/kernel`?",
        {
            "gate_order": "gru_layout::test_gru_gate_order_is_r_then_u",
            "new_h": "gru_layout::test_gru_new_h_is_u_times_h_plus_one_minus_u_times_candidate",
            "reset": "gru_layout::test_gru_reset_multiplies_h_before_the_candidate_matmul",
            # test_gru_variables_names_and_shapes (test_gru_variables_names_shapes_and_initial_values before it lost the
            # bias values to bias_defaults): the star keeps both matching until every golden is rebuilt.
            "inventory": "gru_layout::test_gru_variables_names_*",
            "swaps": "gru_layout::test_gru_swapping_r_and_u_blocks_breaks_agreement",
            "rows": "gru_layout::test_gru_input_and_recurrent_rows_are_not_interchangeable",
            "reference": "numerics::test_cell_matches_reference[*GRUCell*]",
        },
        _gru_by_hand,
        (recipes.gru_step_by_hand,),
        "`tf_rnn_checks.references.recipes.gru_step_by_hand` (NumPy; `sigmoid` is the logistic function):",
    ),
    Question(
        "cell-n-and-kernel-rows",
        "Why do three stacked `BasicRNNCell(100)` on 26 inputs give `cell_0`, `cell_1`, `cell_2` with kernels (126, 100) and "
        "(200, 100)? Aren't the steps of an RNN supposed to share weights?",
        {
            "layers": "variable_naming::test_three_stacked_basic_rnn_cells_are_three_layers_not_three_steps",
            "unrolled": "weight_sharing::test_unrolling_creates_one_set_of_variables_whatever_the_length",
        },
        _stacked_layers,
    ),
    Question(
        "lstm-kernel-order",
        "In what order are the i, j, f, o blocks stored in the LSTM kernel, and how do I cut it into W_i, W_j, W_f, W_o and the "
        "recurrent U_i, U_j, U_f, U_o?",
        {
            "gate_order": "lstm_layout::test_lstm_gate_order_is_ijfo",
            "rows": "lstm_layout::test_lstm_kernel_rows_are_input_then_recurrent",
            "swaps": "lstm_layout::test_lstm_swapping_two_gate_blocks_breaks_agreement",
            "interchange": "lstm_layout::test_lstm_input_and_recurrent_rows_are_not_interchangeable",
            "reference": "numerics::test_cell_matches_reference[*LSTMCell*]",
        },
        _lstm_kernel_order,
        (recipes.lstm_kernel_slices, recipes.lstm_step_by_hand),
        "`tf_rnn_checks.references.recipes.lstm_kernel_slices` and `lstm_step_by_hand` (NumPy; `sigmoid` is the logistic "
        "function; peepholes, clipping and projection left out):",
    ),
    Question(
        "bias-defaults",
        "What do the biases start at, and does a scope initializer change them?",
        {
            "defaults": "bias_defaults::test_bias_starts_at_its_default",
            "scope": "initializer_inheritance::test_biases_ignore_the_scope_initializer",
            "gru_initializer": "bias_defaults::test_gru_bias_initializer_overrides_both_biases",
        },
        _bias_defaults,
    ),
    Question(
        "forget-bias",
        "Where does LSTM's `forget_bias` go: is it in the bias variable, and is it in the checkpoint?",
        {
            "runtime": "bias_defaults::test_forget_bias_is_added_to_the_f_block_at_run_time",
            "checkpoint": "bias_defaults::test_forget_bias_survives_a_checkpoint_as_a_constructor_argument",
        },
        _forget_bias,
    ),
    Question(
        "lstm-state",
        "What is an LSTM's state: an `LSTMStateTuple(c, h)` or one tensor, and in which order?",
        {
            "tuple": "state_structure::test_lstm_state_is_lstm_state_tuple",
            "flat": "state_structure::test_state_is_tuple_false_concatenates_c_h",
        },
        _lstm_state,
    ),
    Question(
        "sequence-length",
        "With `sequence_length`, what are the outputs past a row's length, and what is its final state?",
        {"padding": "numerics::test_sequence_length_zeroes_outputs_and_carries_state"},
        _sequence_length,
    ),
    Question(
        "checkpoint-names",
        "Under what names does a checkpoint store my cells' weights, and why doesn't it restore under another scope?",
        {
            "saver": "variable_naming::test_saver_checkpoint_keys_are_the_variable_names",
            "object": "checkpoints::test_saver_and_object_checkpoint_keys",
            "renamed": "variable_naming::test_checkpoint_does_not_restore_into_a_renamed_scope",
        },
        _checkpoint_names,
    ),
    Question(
        "keras-pytorch",
        "Can I copy TF1 LSTM or GRU weights into Keras or PyTorch as they are?",
        {
            "lstm_bias": "convert_differences::test_default_lstm_bias_initialisation_differs_between_tf1_and_keras",
            "gru_bias": "convert_differences::test_default_gru_bias_initialisation_differs_between_tf1_and_keras",
            "gru_naive": "convert_differences::test_keras_default_gru_with_naively_copied_weights_differs_from_tf1",
            "gru_reset": "convert_differences::test_keras_reset_after_gru_differs_from_tf1_unless_candidate_is_diagonal",
            "torch_gru": "convert_differences::test_torch_gru_differs_from_tf1_gru_unless_candidate_is_diagonal",
            "keras_converted": "convert_keras::test_keras_cell_with_converted_weights_matches_tf1",
            "torch_converted": "convert_torch::test_torch_module_with_converted_weights_matches_tf1",
        },
        _conversion,
    ),
    Question(
        "default-initializer",
        "What initializer do the kernels get when I set none, and does `tf.random.set_seed` make it reproducible?",
        {
            "glorot": "initializer_inheritance::test_default_kernel_initializer_is_glorot_uniform",
            "seeds": "initializer_inheritance::test_default_initializer_ignores_tf_seeds",
        },
        _default_initializer,
    ),
)


# ----------------------------------------------------------------------------------------------- the page


def answer(question: Question, report: dict[str, Any]) -> tuple[list[Block], Evidence, str | None]:
    """``(blocks, evidence, problem)``: the answer's Markdown blocks, or ``problem`` when the report cannot answer."""
    evidence = Evidence(report, question)
    try:
        return question.answer(evidence), evidence, None
    except Unanswered as error:
        return [], evidence, str(error)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, StopIteration) as error:
        return [], evidence, f"the observations of its checks are not in the form this page reads ({type(error).__name__}: {error})"


def _evidence_lines(evidence: Evidence, links: str) -> list[str]:
    lines = []
    for role, pattern in evidence.question.checks.items():
        entries = evidence.matched[role]
        if not entries:
            lines.append(f"- `{pattern}`: **missing from this report**")
            continue
        for (family, check), group in _grouped(entries).items():
            counts = summary_text(dict(Counter(e["outcome"] for e in group)))
            label = f"{family}::{check}"
            lines.append(f"- [`{label}`]({links}#{check_anchor(family, check)}) — {counts}: {group[0]['docstring']}")
    return lines


def _grouped(entries: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for entry in entries:
        groups.setdefault((entry["family"], entry["check"]), []).append(entry)
    return groups


def _unread(evidence: Evidence) -> list[str]:
    """Checks matched by roles the answer did not read: each case's outcome and observations, in full."""
    lines: list[str] = []
    for role in evidence.question.checks:
        if role in evidence.read or not evidence.matched[role]:
            continue
        for entry in evidence.matched[role]:
            lines.append(f"`{entry['id']}`: {outcome_label(entry['outcome'])}" + (f" ({entry['reason']})" if entry.get("reason") else ""))
            lines.append("")
            if entry["observations"]:
                lines += [fenced(json.dumps(entry["observations"], indent=1, ensure_ascii=False), "json"), ""]
    return lines


def render(report: dict[str, Any], links: str = "report.md") -> str:
    """The Markdown questions page of a validated report; ``links`` is the behaviour page its check links point into."""
    env = report["environment"]
    tf = env.get("tensorflow")
    legacy = (env.get("legacy_cells") or {}).get("home") or "unknown"
    lines = [
        f"# Questions about TF1 recurrent cells, answered on TensorFlow {tf}",
        "",
        f"Each answer is built from what the checks of tf-rnn-checks observed on TensorFlow {tf} "
        f"({env.get('tensorflow_distribution')}, legacy cells from {legacy}; report of {report.get('created')}), not written "
        f"by hand: when TensorFlow changes, the answers change with the report, and an answer whose checks are missing or did "
        f"not pass says so. Every answer links to the checks that prove it in [the behaviour report]({links}).",
        "",
    ]
    rendered = [(question, *answer(question, report)) for question in QUESTIONS]
    for number, (question, _, _, problem) in enumerate(rendered, 1):
        flag = " (not answered by this report)" if problem else ""
        lines.append(f"{number}. [{question.text}](#{question.slug}){flag}")
    lines.append("")
    for number, (question, blocks, evidence, problem) in enumerate(rendered, 1):
        lines += [f'<a id="{question.slug}"></a>', "", f"## {number}. {question.text}", ""]
        if problem:
            lines += [f"**Not answered by this report (TensorFlow {tf}):** {problem}.", ""]
        else:
            lines += [f"**Answer (TensorFlow {tf}):** {blocks[0]}", ""]
            for block in blocks[1:]:
                lines += [block, ""]
        for function in question.recipes:
            if function is question.recipes[0]:
                lines += [f"**Recipe** — {question.recipe_note}", ""]
            lines += [fenced(inspect.getsource(function), "python"), ""]
        lines += ["**Checked by:**", "", *_evidence_lines(evidence, links), ""]
        notes = [evidence.problem(role) for role in evidence.question.checks if role not in evidence.read and evidence.problem(role)]
        if not problem:
            lines += [f"**Note:** {note}." for note in notes] + ([""] if notes else [])
        unread = [] if problem else _unread(evidence)
        if unread:
            lines += ["**Also observed:**", "", *unread]
    return "\n".join(lines).rstrip() + "\n"
