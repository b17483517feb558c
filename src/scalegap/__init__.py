"""scalegap: will the AI pilot hold up in production?"""

__version__ = "0.1.0"
