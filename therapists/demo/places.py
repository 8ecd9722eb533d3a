"""The cities the demo listings practise in, and the regions they make."""

# (city, region, postal code, country, latitude, longitude)
CITIES = [
    ("Portland", "Oregon", "97205", "US", 45.5152, -122.6784),
    ("Seattle", "Washington", "98101", "US", 47.6062, -122.3321),
    ("Chicago", "Illinois", "60601", "US", 41.8781, -87.6298),
    ("Austin", "Texas", "78701", "US", 30.2672, -97.7431),
    ("Minneapolis", "Minnesota", "55401", "US", 44.9778, -93.2650),
    ("Boston", "Massachusetts", "02108", "US", 42.3601, -71.0589),
    ("Denver", "Colorado", "80202", "US", 39.7392, -104.9903),
    ("Toronto", "Ontario", "M5V 2T6", "CA", 43.6532, -79.3832),
]
REGIONS = sorted({city[1] for city in CITIES} | {"California", "British Columbia"})
AREA_CODES = {
    "Portland": "503",
    "Seattle": "206",
    "Chicago": "312",
    "Austin": "512",
    "Minneapolis": "612",
    "Boston": "617",
    "Denver": "303",
    "Toronto": "416",
}
