"""Parse a Python-style settings literal read from stdin JSON, print it as JSON."""
import ast
import json
import sys


def parse_settings(text):
    # literal_eval accepts literals only: no calls, no names, no attribute access.
    return ast.literal_eval(text)


def main():
    data = json.load(sys.stdin)
    print(json.dumps({"settings": parse_settings(data["text"])}))


if __name__ == "__main__":
    main()
