"""The analysis charts in words (funnel, inequality, scatter, similar clusters): each one's
finding and numbers from its table (`tables.chart_table`), for alt text and the window's
description. `head` is the chart's kind in words ("Funnel plot")."""

from __future__ import annotations

from desktop.core.model import NOT_APPLICABLE, Indicator


def funnel_words(head: str, indicator: Indicator, table) -> str:
    county = table[table["Cluster"] == "County"]["Value"].iat[0]
    verdicts = table["Against the funnel"]
    outside = [f"{r['Cluster']} {r['Value']} ({r['Against the funnel'].lower()})"
               for _, r in table[verdicts.str.startswith(("Worse", "Better", "Higher",
                                                          "Lower"))].iterrows()]
    inside = int((verdicts == "Within the limits").sum())
    return (f"{head} of {indicator.title}: each cluster's value against its size, with 95% "
            f"and 99.8% control limits around the county value {county}. {inside} clusters "
            "lie within the limits; "
            + ("outside them: " + "; ".join(outside) if outside else "none outside them")
            + ".")


def inequality_words(head: str, indicator: Indicator, table) -> str:
    groups = [c.removesuffix(" value") for c in table.columns if c.endswith(" value")]
    parts = []
    for name in groups:
        deciles = ", ".join(f"{r['Decile']}: {r[name + ' value']}"
                            for _, r in table.iloc[:-1].iterrows())
        parts.append(f"{name}, deciles {deciles}; slope index of inequality "
                     f"{table[name + ' value'].iat[-1]} ({table[name + ' 95% CI'].iat[-1]})")
    return (f"{head} of {indicator.title}, from the most deprived tenth of areas (1) to the "
            "least (10): " + ". ".join(parts) + ".")


def scatter_words(head: str, indicator: Indicator, table) -> str:
    x_title, y_title = table.columns[-2], table.columns[-1]
    return (f"{head} of {y_title} against {x_title}, one point per "
            f"{table.columns[0].lower()}: {table.iloc[-1, -2]}.")


def neighbours_words(head: str, indicator: Indicator, table) -> str:
    value = table.columns[-2]
    rows = [f"{r['Cluster']}"
            + (f" (distance {r['Distance']})" if r["Distance"] != NOT_APPLICABLE else "")
            + f" {r[value]}" for _, r in table.iterrows()]
    return f"{head}: {value} for " + "; ".join(rows) + "."


ANALYSIS_WORDS = {"funnel": funnel_words, "inequality": inequality_words,
                  "scatter": scatter_words, "neighbours": neighbours_words}
