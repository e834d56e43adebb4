"""``python -m astep_calc``: the same program as ``astep``."""

from astep_calc.cli import main

if __name__ == "__main__":
    main()
