"""Dutch date display for the whole site: "23 nov. 2026", "23 nov. 2026 14:02".

``N`` is Django's AP-style month abbreviation; this project's translation of it
(``common/locale``) gives the Dutch abbreviations with their full stop: jan., feb., mrt.,
apr., mei, jun., jul., aug., sep., okt., nov., dec. ("mei" is not shortened).
Typed dates are read day first ("21-03-2015"); ISO ("2015-03-21") is accepted too.
"""

DATE_FORMAT = "j N Y"  # 23 nov. 2026
DATETIME_FORMAT = "j N Y H:i"  # 23 nov. 2026 14:02
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d-m-Y"  # 23-11-2026, the form a date is typed in
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j N"
FIRST_DAY_OF_WEEK = 1

DATE_INPUT_FORMATS = [
    "%d-%m-%Y",  # 21-03-2015
    "%d/%m/%Y",  # 21/03/2015
    "%d.%m.%Y",  # 21.03.2015
    "%Y-%m-%d",  # 2015-03-21 (what a browser's own date picker sends)
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
