"""Schedule throughput: `repayment.schedule` (120 monthly payments, interest-free, with due
dates and exact yen) against the `amortization` package's 120-payment schedule at 0%.
For information: the old target (ratio ≤ 1.0) was retired when month arithmetic moved to
dateutil's relativedelta (docs/performance.md, "Month arithmetic with dateutil").

    pip install amortization && python benchmarks/schedule_throughput.py
"""

from __future__ import annotations

import statistics
import timeit
from datetime import date


def main() -> None:
    try:
        from amortization.schedule import amortization_schedule
    except ImportError:
        raise SystemExit("pip install amortization  (benchmark only; not a dependency)") from None
    from astep_calc.repayment import Terms, schedule
    from astep_calc.rulebook import load_rulebook

    rules = load_rulebook()
    terms = Terms(every_months=1)
    end = date(2028, 3, 31)

    def ours() -> object:
        return schedule(rules, 100_000_000, end, terms)

    def theirs() -> object:
        return list(amortization_schedule(100_000_000, 0.0, 120))

    assert len(schedule(rules, 100_000_000, end, terms).payments) == len(theirs()) == 120
    number = 500
    t_ours, t_theirs = [], []
    for _ in range(7):
        t_theirs.append(timeit.timeit(theirs, number=number) / number)
        t_ours.append(timeit.timeit(ours, number=number) / number)
    a, b = statistics.median(t_ours), statistics.median(t_theirs)
    print(f"amortization (120 rows, floats, no dates) : {b * 1e6:8.1f} µs per schedule")
    print(f"astep_calc   (120 rows, exact yen, dates) : {a * 1e6:8.1f} µs per schedule")
    print(f"ratio ours/theirs                         : {a / b:.3f}  (for information)")


if __name__ == "__main__":
    main()
