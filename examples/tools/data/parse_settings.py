"""Parse a Python-style settings literal read from stdin JSON, print it as JSON."""
import json
import sys


def parse_settings(text):
    return eval(text)


def main():
    data = json.load(sys.stdin)
    print(json.dumps({"settings": parse_settings(data["text"])}))


if __name__ == "__main__":
    main()
