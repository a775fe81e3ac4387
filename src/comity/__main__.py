"""``python -m comity``: the command line, as the ``comity`` script runs it."""

from comity.cli import main

if __name__ == "__main__":
    main()
