"""The race protocol's settings, shared by the reference (locas_reference.py) and the driver (race.py); the Java
command `locas-bench speed` takes the same flags."""

PROTOCOL = [
    ("--window", int, 1024, "new tokens per window"),
    ("--context", int, 1024, "tokens of context before each window"),
    ("--width", int, 128, "Locas memory width r"),
    ("--lr", float, 1e-3, "AdamW learning rate"),
    ("--warmup", int, 3, "windows run but not timed"),
    ("--windows", int, 24, "windows timed"),
]


def add_protocol_arguments(parser):
    for flag, kind, default, text in PROTOCOL:
        parser.add_argument(flag, type=kind, default=default, help=f"{text} (default {default})")


def protocol_flags(args):
    """The protocol as command-line flags for either side."""
    flags = []
    for flag, _, _, _ in PROTOCOL:
        flags += [flag, getattr(args, flag[2:])]
    return flags
