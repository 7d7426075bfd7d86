"""GOV.UK style dates and times: "1 October 2017", "1 October 2017 at 3:30pm"."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y \\a\\t g:ia"
SHORT_DATETIME_FORMAT = "j M Y, g:ia"
TIME_FORMAT = "g:ia"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
