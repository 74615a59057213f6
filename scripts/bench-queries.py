#!/usr/bin/env python3
"""Writes the catalog benchmark's request paths, one per line, no line twice.

Usage: bench-queries.py WORDS_FILE IDS_FILE MUNICIPALITIES OUT_DIR

WORDS_FILE holds the catalog's own text (titles, profiles, organization
names), one entry per line, and IDS_FILE the ids of the published
programs, as read from the seeded database. Writes:
  varied.txt   100,000 distinct searches: word prefixes of every length,
               misspelt words, two-word queries, random filters, sorts,
               pages and page sizes (a fixed seed: the same list each run);
  popular.txt  the 20 typical searches of a busy day, repeated by wrk;
  card.txt     12,000 distinct program ids, shuffled.
"""
import random
import re
import sys
from urllib.parse import urlencode

SEARCHES = 100_000
CARDS = 12_000
DIRECTIONS = ["technical", "natural_science", "physical_sports", "arts", "tourism_local_history", "social_humanitarian"]
COSTS = ["free", "paid", "certificate"]
SORTS = ["relevance", "rating", "popularity", "newest"]
LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
POPULAR = [
    "", "municipality_id=1", "direction=technical", "age=9", "cost=certificate", "open=true",
    "municipality_id=1&direction=arts&age=8", "municipality_id=3&cost=free&open=true",
    "direction=physical_sports&age=12&sort=rating", "age=7&cost=certificate&sort=popularity&page=2",
    "q=робот", "q=танц", "q=шахматы", "q=робатехника", "q=английский&age=10", "q=рисование&municipality_id=1",
    "q=футбол&open=true", "q=программирование&sort=rating", "sort=newest&per_page=50", "municipality_id=12&page=3",
]


def typo(rng, word):
    i = rng.randrange(len(word))
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + rng.choice(LETTERS) + word[i + 1:]
    if kind == 2:
        return word[:i] + rng.choice(LETTERS) + word[i:]
    if i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word + rng.choice(LETTERS)


def text(rng, words):
    word = rng.choice(words)
    kind = rng.random()
    if kind < 0.45:
        return word[: rng.randint(2, len(word))]
    if kind < 0.65 and len(word) >= 5:
        return typo(rng, word)
    if kind < 0.85:
        other = rng.choice(words)
        return f"{word} {other[: rng.randint(2, len(other))]}"
    return word


def search(rng, words, municipalities):
    params = []
    if rng.random() < 0.8:
        params.append(("q", text(rng, words)))
    if rng.random() < 0.4:
        params.append(("municipality_id", rng.randint(1, municipalities)))
    if rng.random() < 0.25:
        params.append(("direction", rng.choice(DIRECTIONS)))
    if rng.random() < 0.3:
        params.append(("age", rng.randint(3, 18)))
    if rng.random() < 0.2:
        params.append(("cost", rng.choice(COSTS)))
    if rng.random() < 0.2:
        params.append(("open", "true"))
    if rng.random() < 0.3:
        params.append(("sort", rng.choice(SORTS)))
    if rng.random() < 0.3:
        params.append(("page", rng.randint(2, 5)))
    if rng.random() < 0.2:
        params.append(("per_page", rng.choice([10, 50, 100])))
    return "/api/v1/programs?" + urlencode(params)


def main():
    words_file, ids_file, municipalities, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    rng = random.Random(20261204)
    words = set()
    with open(words_file, encoding="utf-8") as lines:
        for line in lines:
            words.update(w for w in re.findall(r"[а-яё]+", line.lower()) if len(w) >= 3)
    words = sorted(words)
    if not words:
        sys.exit("bench-queries: the catalog has no words")
    paths = set()
    while len(paths) < SEARCHES:
        paths.add(search(rng, words, municipalities))
    ordered = sorted(paths)
    rng.shuffle(ordered)
    with open(f"{out}/varied.txt", "w", encoding="utf-8") as f:
        f.write("\n".join(ordered) + "\n")
    with open(f"{out}/popular.txt", "w", encoding="utf-8") as f:
        f.write("\n".join("/api/v1/programs?" + urlencode([tuple(p.split("=", 1)) for p in q.split("&") if p]) for q in POPULAR) + "\n")
    with open(ids_file, encoding="utf-8") as lines:
        published = sorted(int(line) for line in lines if line.strip())
    ids = rng.sample(published, min(CARDS, len(published)))
    with open(f"{out}/card.txt", "w", encoding="utf-8") as f:
        f.write("\n".join(f"/api/v1/programs/{i}" for i in ids) + "\n")
    print(f"{len(words)} words, {len(ordered)} searches, {len(ids)} cards", file=sys.stderr)


if __name__ == "__main__":
    main()
