"""Every check family of tf_rnn_checks.checks as a test class named after the family (run by ``tf-rnn-checks run``)."""


def _classes() -> dict:
    from tf_rnn_checks import registry
    from tf_rnn_checks.suite import families

    classes = {}
    for module in families():
        name = module.__name__.rsplit(".", 1)[-1]
        tests = {test_name: staticmethod(test) for test_name, test in registry.tests_from(module).items()}
        classes[name] = type(name, (), {"__doc__": module.__doc__, "__module__": __name__, **tests})
    return classes


globals().update(_classes())
del _classes
