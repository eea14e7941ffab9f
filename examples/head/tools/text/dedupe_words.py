"""Remove repeated words, keeping the first occurrence (case-insensitive)."""
import json
import sys


def dedupe_words(words):
    out = []
    for word in words:
        # Rebuilds the lower-cased list for every word: quadratic.
        if word.lower() not in [kept.lower() for kept in out]:
            out.append(word)
    return {"words": out}


def main():
    data = json.load(sys.stdin)
    print(json.dumps(dedupe_words(data["words"])))


if __name__ == "__main__":
    main()
