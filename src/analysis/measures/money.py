"""Currency conversion: any amount measurement at an annual-average exchange rate.

Rates come from the processed ``fx_annual.csv`` (Federal Reserve G.5A cited rows and the
FRED/datahub file), as units of a currency per US dollar, for any source, year and
currency it holds.

>>> m = to_usd_billion({"value": 131659.0, "unit": "CNY million"}, "fed_g5a", 2019)
>>> round(m.value, 3)
19.059
>>> m.description
'At 6.9081 CNY per USD (Federal Reserve G.5A annual averages, 2019) that is US$19.06bn.'
"""
from analysis.data import rd
from analysis.data.source import Source
from analysis.measures import Measurement, register

#: Units an amount may have: unit → (currency, multiplier to one unit of the currency).
UNITS = {"CNY million": ("CNY", 1e6), "EUR million": ("EUR", 1e6), "USD million": ("USD", 1e6),
         "USD billion": ("USD", 1e9)}


def _as_measurement(amount):
    if isinstance(amount, Measurement):
        return amount
    return Measurement(float(amount["value"]), amount["unit"], "number", "", "")


@register("fx.usd_billion", "number")
def to_usd_billion(amount, fx_source: str, fx_year: int, digits: int = 3) -> Measurement:
    """``amount`` (a measurement in one of :data:`UNITS`) in US$ billion at ``fx_source``'s annual
    average for ``fx_year``, rounded to ``digits`` decimals."""
    amount = _as_measurement(amount)
    try:
        currency, scale = UNITS[amount.unit]
    except KeyError:
        raise LookupError(f"cannot convert unit {amount.unit!r}; known units: {', '.join(UNITS)}") from None
    if currency == "USD":
        per_usd, rate_sources, rate_text = 1.0, (), "no conversion"
    else:
        rate = rd.fx_rate(fx_source, int(fx_year), currency)
        per_usd = float(rate["per_usd"])
        rate_sources = (Source(label=rd.FX_SOURCES[fx_source], url=rate["url"], ref=rate["ref"]),)
        rate_text = f"{rate['published_as']} ({rd.FX_SOURCES[fx_source].split(' (')[0]}, {fx_year})"  # the source's name
    usd = round(amount.value * scale / per_usd / 1e9, digits)
    return Measurement(
        usd, "USD billion", "number",
        f"{amount.description} At {rate_text} that is US${usd:,.2f}bn.".strip(),
        vintage="; ".join(v for v in (amount.vintage, f"{rd.FX_SOURCES.get(fx_source, fx_source)} {fx_year}") if v),
        sources=tuple(amount.sources) + rate_sources, self_reported=amount.self_reported,
        details={"per_usd": per_usd, "currency": currency})
