#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except Exception as error:
        # A configuration value that is not understood: its message, without a traceback.
        if type(error).__name__ != "ConfigurationError":
            raise
        sys.exit(f"Configuration : {error}")
