"""Remove repeated words, keeping the first occurrence (case-insensitive)."""
import json
import sys


def dedupe_words(words):
    seen = set()
    out = []
    for word in words:
        key = word.lower()
        if key not in seen:
            seen.add(key)
            out.append(word)
    return {"words": out}


def main():
    data = json.load(sys.stdin)
    print(json.dumps(dedupe_words(data["words"])))


if __name__ == "__main__":
    main()
