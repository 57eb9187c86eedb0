"""Prints the postgresql+pgtc URL for a pair's conninfo (``tools/pgtc-cluster
create`` prints ``host=a,b port=p,q user=… password=… dbname=…``) and creates
the schemas SQLAlchemy's suite uses (test_schema, test_schema_2) on it.

    python url.py "host=127.0.0.1,127.0.0.1 port=5432,5433 user=pgtc password=pgtc dbname=postgres"
"""

from __future__ import annotations

import sys
import urllib.parse

import pgtc


def url_for(conninfo: str) -> str:
    keys = dict(part.split("=", 1) for part in conninfo.split())
    hosts = keys.pop("host").split(",")
    ports = keys.pop("port").split(",")
    if len(ports) == 1:
        ports = ports * len(hosts)
    user = urllib.parse.quote(keys.pop("user"), safe="")
    password = urllib.parse.quote(keys.pop("password", ""), safe="")
    dbname = keys.pop("dbname")
    query = [("host", f"{h}:{p}") for h, p in zip(hosts, ports)]
    query += list(keys.items()) + [("PREFERRED_ACCESS", "READ_MOSTLY")]
    auth = f"{user}:{password}" if password else user
    return f"postgresql+pgtc://{auth}@/{dbname}?" + urllib.parse.urlencode(query, safe=":")


def create_schemas(conninfo: str) -> None:
    conn = pgtc.connect(conninfo, autocommit=True)
    try:
        cur = conn.cursor()
        for schema in ("test_schema", "test_schema_2"):
            cur.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    finally:
        conn.close()


if __name__ == "__main__":
    create_schemas(sys.argv[1])
    print(url_for(sys.argv[1]))
