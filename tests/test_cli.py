"""The installed command, run as a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from tests.conftest import SYMBOL, run_cli


def test_ask_who_moderated_ranks_paragraph_2_first(cli_env):
    output = json.loads(run_cli("ask", "Who moderated the workshop?", "--json", env=cli_env).stdout)
    assert output["hits"][0]["id"] == f"{SYMBOL}#2"
    assert "Jay Albanese" in output["answer"]


def test_ask_json_follows_the_schema(cli_env):
    output = json.loads(run_cli("ask", "What did the conclusions say about terrorism?", "--json",
                                "-k", "3", env=cli_env).stdout)
    assert {"question", "hits", "answer", "answerable", "resolved_question", "citations"} <= set(output)
    assert len(output["hits"]) == 3
    for hit in output["hits"]:
        assert {"id", "citation", "para", "item", "section", "score", "text"} <= set(hit)
        assert hit["id"].startswith(f"{SYMBOL}#")
        assert hit["citation"].startswith(f"{SYMBOL}, para. {hit['para']}")
        assert isinstance(hit["score"], float)
    items = [h for h in output["hits"] if h["item"]]
    assert items and all(h["id"] == f"{SYMBOL}#23({h['item']})" for h in items)


def test_plain_ask_prints_citations(cli_env):
    output = run_cli("ask", "para 12", env=cli_env).stdout
    assert f"{SYMBOL}, para. 12" in output and "Council of Europe Convention on Cybercrime" in output


def test_empty_question_gets_a_clear_message_not_a_traceback(cli_env):
    process = run_cli("ask", "   ", env=cli_env, check=False)
    assert process.returncode == 1
    assert "The question is empty" in process.stderr and "Traceback" not in process.stderr


def test_a_corrupt_index_is_rebuilt_by_the_command(index_dir, tmp_path, cli_env):
    directory = tmp_path / "index"
    shutil.copytree(index_dir, directory)
    (directory / "sentences.faiss").write_bytes(b"not a faiss file")
    process = run_cli("ask", "para 3", "--index", str(directory), env=cli_env)
    assert "rebuilding" in process.stderr and "Traceback" not in process.stderr
    assert "Roberto Rafael Campa" in process.stdout


def test_a_missing_model_is_one_clear_line(tmp_path, cli_env):
    process = run_cli("build", "--index", str(tmp_path / "i"), "--model", str(tmp_path / "nope"),
                      env=cli_env, check=False)
    assert process.returncode == 1
    assert "Could not load the embedding model" in process.stderr
    assert "Traceback" not in process.stderr


def test_help_needs_no_model(cli_env):
    process = run_cli("--help", env=cli_env)
    assert "ask" in process.stdout and "chat" in process.stdout


def test_ask_and_build_refuse_a_folder_of_other_files_and_delete_nothing(tmp_path, cli_env):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "main.c").write_text("int main(void) { return 0; }")
    (project / "README").write_text("my project")
    for args in (("ask", "para 12"), ("build",)):
        process = run_cli(*args, "--index", str(project), env=cli_env, check=False)
        assert process.returncode == 1 and "Traceback" not in process.stderr
        assert "holds files that are not a workshop-qa index" in process.stderr
    assert (project / "README").read_text() == "my project" and (project / "src" / "main.c").exists()


def test_search_free_text_prints_ranked_passages_with_citations(cli_env):
    output = run_cli("search", "customs and cultural heritage", "-k", "3", env=cli_env).stdout
    ranks = [line for line in output.splitlines() if line[:1].isdigit()]
    assert len(ranks) == 3 and ranks[0].startswith(f"1. {SYMBOL}, para. 18 ")
    assert "customs services" in output
    output = run_cli("search", "customs and cultural heritage", "--json", env=cli_env).stdout
    hits = json.loads(output)["hits"]
    assert hits[0]["citation"] == f"{SYMBOL}, para. 18" and [h["rank"] for h in hits] == list(range(1, 11))


def test_search_without_a_query_or_a_run_file_says_what_to_give(cli_env):
    process = run_cli("search", env=cli_env, check=False)
    assert process.returncode == 2 and "give a QUERY, or --queries FILE and --run FILE" in process.stderr


def test_ask_answers_each_line_of_standard_input_in_one_process(cli_env):
    questions = "Who moderated the workshop?\n\npara 12\n   \n"
    process = subprocess.run([sys.executable, "-m", "workshop_qa.app.cli", "ask", "--json"], env=cli_env,
                             input=questions, capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stderr
    answers = [json.loads(line) for line in process.stdout.splitlines()]
    assert [a["question"] for a in answers] == ["Who moderated the workshop?", "para 12"]
    assert "Jay Albanese" in answers[0]["answer"] and answers[1]["citations"] == [f"{SYMBOL}#12"]


def test_the_command_reads_queries_files_without_the_evaluation_package(cli_env):
    code = ("import sys, workshop_qa.app.cli, workshop_qa.app.queries; "
            "print(sorted(name for name in sys.modules if name.startswith('workshop_qa.eval')))")
    process = subprocess.run([sys.executable, "-c", code], env=cli_env, capture_output=True, text=True,
                             timeout=300, check=True)
    assert process.stdout.strip() == "[]"


def test_a_queries_file_with_history_is_answered_turn_by_turn(cli_env, tmp_path):
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"_id": "t2", "text": "what about cultural property?", '
                       '"history": ["Did speakers call for a new treaty on cybercrime?"]}\n')
    answer = json.loads(run_cli("ask", "--queries", str(queries), env=cli_env).stdout)
    assert answer["id"] == "t2"
    assert answer["resolved_question"] == "Did speakers call for a new treaty on cultural property?"


def test_a_lookup_after_a_question_is_answered_alone_by_the_command(cli_env):
    output = json.loads(run_cli("ask", "para 16", "--history", "Did speakers want a new treaty?",
                                "--json", env=cli_env).stdout)
    assert output["citations"] == [f"{SYMBOL}#16"] and output["resolved_question"] == "para 16"


def test_piped_questions_are_one_conversation_until_a_line_starts_a_new_one(cli_env):
    questions = "What happened at the 4th meeting?\nand the 5th?\n/new\nand the 5th?\n"
    process = subprocess.run([sys.executable, "-m", "workshop_qa.app.cli", "ask", "--json"], env=cli_env,
                             input=questions, capture_output=True, text=True, timeout=300)
    answers = [json.loads(line) for line in process.stdout.splitlines()]
    assert [a["question"] for a in answers] == ["What happened at the 4th meeting?", "and the 5th?"]
    assert "5th meeting" in answers[1]["resolved_question"]
    assert process.returncode == 1 and "'and the 5th?' points back to an earlier answer, and this " \
        "conversation has none yet" in process.stderr
