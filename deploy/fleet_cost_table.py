"""`biopipelines cost` as tables for the terminal, in the strategy's cost-comparison form."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table

from biopipelines.deploy.fleet_cost import FleetCost


def print_fleet_cost(cost: FleetCost, console: Console | None = None) -> None:
    console = console or Console(width=None if sys.stdout.isatty() else 160)
    prices = ", ".join(f"{k} ${v:.2f}/h" for k, v in cost.gpu_usd_per_hour.items())
    table = Table(title=f"Monthly cost, {cost.preset} ({cost.inventory}), {cost.requests_per_day} requests/day",
                  caption=f"USD; {cost.gpu_hours_month:g} GPU-hours/month at {prices} (duty cycle "
                          f"{cost.duty_cycle:g}); cloud tokens at {cost.cloud_model}")
    for col in ("option", "GPUs", "cloud API", "total/month", "per request"):
        table.add_column(col, justify="left" if col == "option" else "right")
    for row in cost.rows:
        table.add_row(row.option, f"{row.gpu_usd_month:,.2f}", f"{row.cloud_usd_month:,.2f}",
                      f"{row.total_usd_month:,.2f}", f"{row.usd_per_request:.5f}")
    console.print(table)
    roles = Table(title="Tokens per request by role", caption=f"from {cost.tokens_source}")
    for col in ("role", "in", "out", "served here", "on the cloud/month"):
        roles.add_column(col, justify="left" if col in {"role", "served here"} else "right")
    for r in cost.roles:
        tokens = (f"{r.tokens_in:g}", f"{r.tokens_out:g}") if r.measured else ("not measured", "-")
        roles.add_row(r.role, *tokens, r.served, f"{r.cloud_usd_month:,.2f}")
    console.print(roles)
    if cost.break_even_requests_per_day:
        console.print(f"break-even: the fleet costs less than cloud-only above {cost.break_even_requests_per_day:,.0f}"
                      " requests/day")
