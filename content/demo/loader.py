"""Load the demo hub (filled in by the demo-content work)."""


def load_demo_hub() -> list[str]:
    return []
