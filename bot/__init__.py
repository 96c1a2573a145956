"""summitbot: reads the news, extracts upcoming diplomatic meetings, reminds chat channels."""

__version__ = "0.1.0"
