"""Scrapes a /metrics URL and reads it with prometheus_client's own parser (a
parser we did not write); prints every sample as a JSON line:
{"name": ..., "labels": {...}, "value": ..., "type": ...}. Text the parser
refuses makes it exit non-zero with the parser's error."""
import json
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
    assert response.status == 200, response.status
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4"), response.headers["Content-Type"]
    text = response.read().decode("utf-8")
for family in text_string_to_metric_families(text):
    for s in family.samples:
        print(json.dumps({"name": s.name, "labels": s.labels, "value": s.value, "type": family.type}))
