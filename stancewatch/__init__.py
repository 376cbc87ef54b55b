"""stancewatch: monitor news feeds for changes in actors' stated positions."""

__version__ = "0.1.0"
