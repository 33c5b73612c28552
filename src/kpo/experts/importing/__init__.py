"""Import experts from a CSV or XLSX file, all or nothing, with a row-by-row error report.

The steps: `reading` turns the file into rows, `cells` checks each row, `validation` checks the
whole table, `writing` creates the experts (`import_experts`); `format` holds the columns and the
error report.

The first row names the columns (any order; names are case-insensitive). Row numbers in errors count
the header as row 1, so the first expert is row 2.

Columns (* = required):
    username*              login name, unique (letters, digits and @.+-_)
    first_name*, last_name*
    email                  e-mail address
    organisation*          slug of a provider organisation, or of a client when `internal` is true
    headline*              one line, up to 200 characters
    biography              free text
    country*               ISO 3166 alpha-2 code, e.g. DK
    time_zone*             IANA time zone, e.g. Europe/Copenhagen
    weekly_capacity_hours  0 to 80, one decimal (default 37.5)
    cost_rate*, bill_rate* hourly rates, up to two decimals
    rate_currency*         ISO 4217 code, e.g. DKK
    internal               true/false (yes/no, 1/0; default false): a client's own staff member
    domains                KPO domain codes separated by ";", e.g. data_analysis;financial_consulting
    languages              ISO 639-1 code and CEFR level (A1-C2 or native): en:C2;da:native
    skills                 ESCO skill URI or exact label, then proficiency 1-5: <uri or label>:4;...
    degrees                level|field|institution|year|verification;... e.g.
                           phd|Economics|Aarhus University|2015|verified (level: bachelor, master, phd or
                           professional; verification: unverified (default), pending, verified or rejected)
    employments            employer|title|start|end with ISO dates, end empty for the current job:
                           Vestas|Analyst|2019-01-01|2022-06-30;Nordvind Industri A/S|Engineer|2022-07-01|

Values inside the multi-value columns cannot contain ";" or "|".
"""
