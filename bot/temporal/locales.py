"""Locales: what the outlet's or dateline's country decides (day-first numeric dates, the fiscal year's first
month, the zone of "local time")."""

from __future__ import annotations

from dataclasses import dataclass


# country (ISO 3166 alpha-2) -> (day-first numeric dates?, first month of the government's fiscal year,
# IANA zone of its capital).  None for day-first: both orders are common there (Canada) or the country
# writes year-first (China, Japan, Korea), so a bare a/b/yyyy stays ambiguous.  Absent: day-first,
# calendar fiscal year, zone unknown.
_COUNTRIES: dict[str, tuple[bool | None, int, str | None]] = {
    "US": (False, 10, "America/New_York"), "PH": (False, 1, "Asia/Manila"), "CA": (None, 4, "America/Toronto"),
    "GB": (True, 4, "Europe/London"), "IE": (True, 1, "Europe/Dublin"), "IN": (True, 4, "Asia/Kolkata"),
    "JP": (None, 4, "Asia/Tokyo"), "KR": (None, 1, "Asia/Seoul"), "CN": (None, 1, "Asia/Shanghai"),
    "HK": (True, 4, "Asia/Hong_Kong"), "SG": (True, 4, "Asia/Singapore"), "AU": (True, 7, "Australia/Sydney"),
    "NZ": (True, 7, "Pacific/Auckland"), "PK": (True, 7, "Asia/Karachi"), "EG": (True, 7, "Africa/Cairo"),
    "KE": (True, 7, "Africa/Nairobi"), "ZA": (True, 4, "Africa/Johannesburg"), "NG": (True, 1, "Africa/Lagos"),
    "FR": (True, 1, "Europe/Paris"), "DE": (True, 1, "Europe/Berlin"), "IT": (True, 1, "Europe/Rome"),
    "ES": (True, 1, "Europe/Madrid"), "RU": (True, 1, "Europe/Moscow"), "BR": (True, 1, "America/Sao_Paulo"),
    "MX": (True, 1, "America/Mexico_City"), "TR": (True, 1, "Europe/Istanbul"), "SA": (True, 1, "Asia/Riyadh"),
    "AE": (True, 1, "Asia/Dubai"), "ID": (True, 1, "Asia/Jakarta"), "VN": (True, 1, "Asia/Ho_Chi_Minh"),
    "MY": (True, 1, "Asia/Kuala_Lumpur"), "TH": (True, 10, "Asia/Bangkok"), "BE": (True, 1, "Europe/Brussels"),
}


@dataclass(frozen=True)
class Locale:
    """What the outlet's or dateline's country decides: the order of a/b/yyyy, the fiscal year, local time."""

    dayfirst: bool | None = None  # None: refuse a/b/yyyy when both parts could be the month
    fiscal_month: int = 1         # the first month of the fiscal year
    zone: str | None = None       # "local time"


def locale_for(country: str | None = None, dayfirst: bool | None = None, fiscal_month: int | None = None,
               zone: str | None = None) -> Locale:
    """The locale of a country (ISO alpha-2), with any of its parts overridden."""
    known = _COUNTRIES.get((country or "").upper()) if country else None
    df, fm, z = known if known else ((True if country else None), 1, None)
    return Locale(df if dayfirst is None else dayfirst, fiscal_month or fm, zone or z)


_NO_LOCALE = Locale()
