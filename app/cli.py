"""The ``workshop-qa`` command: build, ask, search, eval, calibrate, chat."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from workshop_qa.app import validate
from workshop_qa.app.queries import read_queries
from workshop_qa.app.settings import Settings, from_environment, parse_auth

_STARTED = time.perf_counter()  # "Ready in" counts the imports of the chat command too

if TYPE_CHECKING:
    from workshop_qa.app.answer import Assistant
    from workshop_qa.retriever.search import Filters

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        _check(args)
        settings = _settings(args)
        return args.handler(args, settings)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        message = _user_error(error)
        if message is None:
            raise
        print(f"workshop-qa: {message}", file=sys.stderr)
        return 1


def _user_error(error: Exception) -> str | None:
    """One clear sentence for errors a user can cause; None for bugs, which should fail loudly."""
    from workshop_qa.index.corpus import CorpusError
    from workshop_qa.index.embed import ModelError
    from workshop_qa.index.milvus import StoreUnavailable
    from workshop_qa.index.store import IndexLocationError, IndexUnusable
    from workshop_qa.retriever.search import QueryError

    if isinstance(error, validate.InputError | CorpusError | ModelError | QueryError | IndexUnusable
                  | IndexLocationError | StoreUnavailable):
        return str(error)
    if isinstance(error, ValueError) and str(error).startswith(("Unknown", "Malformed")):
        return str(error)
    if isinstance(error, FileNotFoundError | json.JSONDecodeError):
        return f"{error}"
    return None


def _check(args: argparse.Namespace) -> None:
    """Check and normalise what was typed, before anything slow (the index, the model) starts."""
    for name in ("question", "query"):
        if getattr(args, name, None) is not None:
            setattr(args, name, validate.question(getattr(args, name)))
    checks = {"history": validate.history, "k": validate.k, "port": validate.port,
              "threads": validate.threads, "llm_url": validate.llm_url,
              "nprobe": lambda value: validate.whole_number(value, "--nprobe", 1, 1 << 20)}
    for name, check in checks.items():
        if getattr(args, name, None) is not None:
            setattr(args, name, check(getattr(args, name)))


def _settings(args: argparse.Namespace) -> Settings:
    settings = from_environment().with_overrides(
        corpus=tuple(args.corpus) if getattr(args, "corpus", None) else None,
        index_dir=getattr(args, "index", None),
        model=getattr(args, "model", None),
        second_model=getattr(args, "second_model", None),
        k=getattr(args, "k", None),
        mode=getattr(args, "mode", None),
        reranker=getattr(args, "reranker", None),
        nprobe=getattr(args, "nprobe", None),
        store=getattr(args, "store", None),
        encoder_threads=getattr(args, "threads", None),
        llm_url=getattr(args, "llm_url", None),
        llm_model=getattr(args, "llm_model", None),
        auth=parse_auth(args.auth) if getattr(args, "auth", None) else None,
        trusted_proxies=(validate.proxies(args.trusted_proxies)
                         if getattr(args, "trusted_proxies", None) else None),
    )
    if settings.second_model_in_use:
        from workshop_qa.index.packaged_models import check_model

        check_model(settings.second_model_in_use)
    return settings


def _retriever(settings: Settings):
    from workshop_qa.retriever.search import Retriever

    return Retriever.open(settings.index_spec, settings.index_dir, settings.retrieval,
                          notify=lambda line: print(line, file=sys.stderr))


def _build(args: argparse.Namespace, settings: Settings) -> int:
    from workshop_qa.index.store import build_index, default_index_dir

    directory = settings.index_dir or default_index_dir()
    seconds = build_index(settings.index_spec, directory, progress=sys.stderr.isatty(),
                          notify=lambda line: print(line, file=sys.stderr))
    print(f"Index built in {directory} in {seconds:.1f} s.")
    if settings.retrieval.store:
        from workshop_qa.index.milvus import MilvusStore
        from workshop_qa.index.store import load_index

        MilvusStore(settings.retrieval.store, settings.retrieval.store_token).attach(load_index(directory))
        print(f"The Milvus store {settings.retrieval.store} holds this index.")
    return 0


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from workshop_qa.app.answer import Assistant
    from workshop_qa.retriever.search import QueryError

    queries = read_queries(args.queries) if args.queries else None
    assistant = Assistant(_retriever(settings), settings)
    filters = _document_filter(args, assistant)
    if queries is not None:
        status = 0
        for query in queries:
            try:
                answer = assistant.answer(query.text, query.history, filters)
            except QueryError as error:
                print(f"workshop-qa: query {query.id}: {error}", file=sys.stderr)
                status = 1
                continue
            print(json.dumps({"id": query.id, **answer.to_json()}, ensure_ascii=False), flush=True)
        return status
    if args.question is None:
        return _ask_each_line(assistant, args, filters)
    answer = assistant.answer(args.question, args.history or [], filters)
    print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2) if args.json else answer.to_text())
    return 0


NEW_CONVERSATION = "/new"


def _ask_each_line(assistant: Assistant, args: argparse.Namespace, filters: Filters | None) -> int:
    """Answer the questions of standard input, one a line, in this one warm process.

    The lines are one conversation, as in the chat: a follow-up ("and the 5th?") is read after the
    questions before it. A line ``/new`` starts a new conversation."""
    from workshop_qa.retriever.search import QueryError

    # Bytes that are not UTF-8 become surrogates, which validation refuses line by line.
    sys.stdin.reconfigure(errors="surrogateescape")
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"Type a question and press Enter; {NEW_CONVERSATION} starts a new conversation, "
              "Ctrl-D quits.", file=sys.stderr)
    status = 0
    history = list(args.history or [])
    while True:
        try:
            line = input("question> ") if interactive else sys.stdin.readline()
        except EOFError:
            return status
        if not interactive and not line:
            return status
        if not line.strip():
            continue
        if line.strip() == NEW_CONVERSATION:
            history = list(args.history or [])
            continue
        try:
            answer = assistant.answer(validate.question(line.strip()), history, filters)
        except (QueryError, validate.InputError) as error:
            print(f"workshop-qa: {error}", file=sys.stderr)
            status = 1
            continue
        history = [*history, answer][-validate.MAX_HISTORY_TURNS:]
        print(json.dumps(answer.to_json(), ensure_ascii=False) if args.json else answer.to_text() + "\n",
              flush=True)


def _search(args: argparse.Namespace, settings: Settings) -> int:
    if args.query is not None:
        return _search_text(args, settings)
    if not (args.queries and args.run):
        print("workshop-qa: give a QUERY, or --queries FILE and --run FILE.", file=sys.stderr)
        return 2
    from workshop_qa.app.answer import Assistant
    from workshop_qa.retriever.search import QueryError

    queries = read_queries(args.queries)
    if args.run.is_dir() or not args.run.parent.is_dir():
        raise validate.InputError(f"Cannot write the run file {args.run}: give a file name in a "
                                  "folder that exists, such as run.trec.")
    assistant = Assistant(_retriever(settings), settings)
    filters = _document_filter(args, assistant)
    lines, status = [], 0
    for query in queries:
        try:
            _, result = assistant.search(query.text, query.history, k=settings.k, filters=filters)
        except QueryError as error:
            print(f"workshop-qa: query {query.id}: {error}", file=sys.stderr)
            status = 1
            continue
        lines += [f"{query.id} Q0 {hit.passage.id} {hit.rank} {hit.score:.6f} {args.tag}"
                  for hit in result.hits]
    try:
        Path(args.run).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    except OSError as error:
        raise validate.InputError(f"Cannot write the run file {args.run}: {error.strerror}.") from None
    print(f"Wrote {len(lines)} lines to {args.run}.")
    return status


def _search_text(args: argparse.Namespace, settings: Settings) -> int:
    """Print the ranked passages for one free-text query, with their citations."""
    import textwrap

    from workshop_qa.app.answer import Assistant, hit_json

    assistant = Assistant(_retriever(settings), settings)
    result = assistant.retriever.search(args.query, k=settings.k,
                                        filters=_document_filter(args, assistant))
    if args.json:
        print(json.dumps({"query": result.query, "hits": [hit_json(h) for h in result.hits]},
                         ensure_ascii=False, indent=2))
        return 0
    for hit in result.hits:
        print(f"{hit.rank}. {hit.passage.citation} ({hit.passage.section}), score {hit.score:.3f}")
        print(textwrap.fill(hit.passage.text, width=100, initial_indent="   ", subsequent_indent="   "))
    return 0


def _document_filter(args: argparse.Namespace, assistant: Assistant) -> Filters | None:
    """The filter of ``--document`` (a symbol or a short form such as Add.9), or None."""
    if args.document is None:
        return None
    return validate.filters({"document": args.document}, assistant.retriever.index.passages)


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from workshop_qa.eval.run import run_evaluation

    run_evaluation(settings, split=args.split, output=args.output)
    return 0


def _calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from workshop_qa.eval.calibrate import calibrate

    calibrate(_retriever(settings), split=args.split)
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    _can_listen(args.host, args.port)
    from workshop_qa.app.server import serve

    serve(settings, host=args.host, port=args.port, uploads=args.uploads, started=_STARTED)
    return 0


def _can_listen(host: str, port: int) -> None:
    """Refuse an address the server could not listen on now, not after the index has loaded."""
    import socket

    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                         flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            probe.bind(address)
    except OSError as error:
        raise validate.InputError(f"Cannot listen on {host} port {port}: "
                                  f"{error.strerror or error}; choose another --port or --host.") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workshop-qa",
        description="Ask the report of workshop 3 of the Thirteenth UN Crime Congress "
        "(A/CONF.222/L.3/Add.1); answers quote the report and cite its paragraphs.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, run, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=run)
        sub.add_argument("--corpus", type=Path, nargs="+", metavar="PATH",
                         help="report text files (default: the bundled report)")
        sub.add_argument("--index", type=Path, metavar="DIR",
                         help="index folder (default: a per-user cache folder)")
        sub.add_argument("--model", help="sentence-transformers model name or local path")
        sub.add_argument("--second-model", metavar="NAME",
                         help="a second embedding model that rescores the best passages and "
                         "searches questions in other languages than English: e5-small (the "
                         "default, multilingual), all-mpnet-base-v2, a local path, or none")
        sub.add_argument("--store", metavar="URI",
                         help="search Milvus instead of the embedded FAISS index: PATH.db (Milvus Lite) or "
                         "http://HOST:19530 (token in WORKSHOP_QA_MILVUS_TOKEN)")
        return sub

    command("build", _build, "Build (or rebuild) the index.")

    ask = command("ask", _ask, "Answer a question with quotes cited by paragraph.")
    ask.add_argument("question", nargs="?",
                     help='a question, or a reference such as "para 12" (none: read one a line from stdin)')
    ask.add_argument("--history", nargs="*", metavar="TURN", help="earlier questions of the conversation")
    ask.add_argument("--queries", type=Path, metavar="FILE",
                     help="answer a BEIR queries file, one JSON object per line")
    ask.add_argument("-k", help="passages to retrieve, 1 to 50 (default 5)")
    ask.add_argument("--json", action="store_true", help="print JSON")
    _document_flag(ask)
    _retrieval_flags(ask)

    search = command("search", _search, "Print the passages that match a query, or retrieve for a "
                     "BEIR queries file into a TREC run file.")
    search.add_argument("query", nargs="?", help='free text, such as "customs and cultural heritage"')
    search.add_argument("--queries", type=Path, metavar="FILE", help="a BEIR queries file")
    search.add_argument("--run", type=Path, metavar="FILE", help="the TREC run file to write")
    search.add_argument("-k", default=10, help="passages to retrieve, 1 to 50 (default 10)")
    search.add_argument("--tag", default="workshop-qa")
    search.add_argument("--json", action="store_true", help="print JSON")
    _document_flag(search)
    _retrieval_flags(search)

    evaluate = command("eval", _eval, "Compare retrieval configurations on the evaluation set.")
    evaluate.add_argument("--split", default="test", choices=("dev", "test"))
    evaluate.add_argument("--output", type=Path, default=Path("eval/results"), metavar="DIR")

    calibrate = command("calibrate", _calibrate, "Fit the answerability model on the dev split.")
    calibrate.add_argument("--split", default="dev", choices=("dev", "test"))

    chat = command("chat", _chat, "Start the chat app in the browser.")
    chat.add_argument("--host", default="127.0.0.1")
    chat.add_argument("--port", default=7860)
    chat.add_argument("--auth", help="USER:PASSWORD[,USER:PASSWORD...] (or WORKSHOP_QA_AUTH)")
    chat.add_argument("--trusted-proxies", metavar="ADDRESSES",
                      help="reverse proxies whose X-Forwarded-For is believed, comma-separated "
                      "(or WORKSHOP_QA_TRUSTED_PROXIES; default: none)")
    chat.add_argument("--uploads", action=argparse.BooleanOptionalAction,
                      help="allow adding reports in the app (default: on, except on a host other "
                      "than this machine's loopback without --auth)")
    chat.add_argument("--llm-url", help="OpenAI-compatible endpoint for generated answers")
    chat.add_argument("--llm-model", help="model name to ask the endpoint for")
    ask.add_argument("--llm-url", help="OpenAI-compatible endpoint for generated answers")
    ask.add_argument("--llm-model", help="model name to ask the endpoint for")
    return parser


def _document_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--document", metavar="SYMBOL",
                        help="search one indexed document: its symbol, or a short form such as Add.9")


def _retrieval_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mode", choices=("hybrid", "dense", "lexical"))
    parser.add_argument("--nprobe", type=int, metavar="N",
                        help="inverted lists an IVF index probes (default: the one chosen at build)")
    parser.add_argument("--reranker", help="none, sentence, or cross-encoder:NAME_OR_PATH")
    parser.add_argument("--threads", metavar="N",
                        help="threads of the query encoder and of FAISS (default 1)")


if __name__ == "__main__":
    sys.exit(main())
