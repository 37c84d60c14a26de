"""The exception tree drawn in errors.py's docstring (which the docs render) is the real one."""

import inspect

import mastodon.errors as errors


def drawn_tree():
    """``{class name: parent name}`` from the tree in the module docstring."""
    lines = errors.__doc__.split("::", 1)[1].split("\n\n")[1].splitlines()
    parents, stack = {}, []
    for line in lines:
        name = line.lstrip(" │├└─").split()[0]
        depth = (len(line) - len(line.lstrip(" │├└─")) - 4) // 4  # the block is indented by 4
        del stack[depth:]
        parents[name] = stack[-1] if stack else None
        stack.append(name)
    return parents


def test_every_public_exception_is_drawn_under_its_real_parent():
    classes = {name: getattr(errors, name) for name in errors.__all__
               if inspect.isclass(getattr(errors, name)) and issubclass(getattr(errors, name), errors.MastodonError)}
    drawn = drawn_tree()
    assert set(classes) <= set(drawn), f"not drawn: {set(classes) - set(drawn)}"
    for name, cls in classes.items():
        parent = next((base.__name__ for base in cls.__mro__[1:] if base.__name__ in classes), None)
        assert drawn[name] == parent, name


def test_every_exception_class_of_the_package_lives_in_errors():
    import pkgutil, importlib
    import mastodon
    for module_info in pkgutil.iter_modules(mastodon.__path__):
        module = importlib.import_module(f"mastodon.{module_info.name}")
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, BaseException):
                assert value.__module__ in ("mastodon.errors", "builtins") or not value.__module__.startswith(
                    "mastodon"), f"{module.__name__}.{name} is defined outside errors.py"
