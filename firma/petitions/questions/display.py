"""An answer as text: in exports and the public list."""


def as_text(value: object, yes: str = "yes", no: str = "no") -> str:
    """`yes` and `no` for a checkbox: exports keep them in English, for the programs that read
    them; pages pass their own language's words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
