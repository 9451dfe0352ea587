"""coach: learn to own AI systems by living through them."""

__version__ = "0.1.0"
