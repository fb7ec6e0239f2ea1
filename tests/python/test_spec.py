"""The spec layer from Python: configuration, repo specs, names, pod plan."""
import json

import pytest

import libworkspace as lw

SESSION = {
    "name": "sess-1",
    "namespace": "proj",
    "RepoURL": "https://github.com/o/app.git",
    "workflow": {"gitUrl": "https://github.com/o/flows", "path": "spec-kit"},
}
MINIO = {"sharedMinio": {"accessKey": "minio", "secretKey": "minio123"}}


def env_of(container, name):
    return next((e for e in container["env"] if e["name"] == name), None)


def test_load_config_applies_defaults_and_sanitises():
    config = lw.load_config({"SESSION_NAME": "my_session", "RUNNER_STATE_DIR": "./.gemini/"})
    assert config["SESSION_NAME"] == "mysession"
    assert config["NAMESPACE"] == "default"
    assert config["RUNNER_STATE_DIR"] == ".gemini"
    assert config["SYNC_INTERVAL"] == "60"
    assert config["S3_BUCKET"] == "ambient-sessions"


def test_load_config_has_every_variable_of_the_table():
    names = [v["name"] for v in lw.env_table()]
    assert list(lw.load_config({})) == names


def test_load_config_without_argument_reads_the_process_environment(clean_env):
    clean_env.setenv("SESSION_NAME", "from-env")
    assert lw.load_config()["SESSION_NAME"] == "from-env"


def test_load_config_errors_name_the_variable():
    with pytest.raises(lw.InvalidInputError, match=r"^RUNNER_STATE_DIR '/etc' must be relative"):
        lw.load_config({"RUNNER_STATE_DIR": "/etc"})
    with pytest.raises(lw.InvalidInputError) as info:
        lw.load_config({"REPO_BACKUP_INTERVAL": "every"})
    assert str(info.value) == "REPO_BACKUP_INTERVAL must be a whole number, got 'every'"


def test_invalid_input_is_a_value_error_with_a_code():
    with pytest.raises(ValueError) as info:
        lw.load_config({"LOG_FORMAT": "xml"})
    assert isinstance(info.value, lw.Error)
    assert info.value.code == -1


def test_env_table_marks_secrets_and_readers():
    table = {v["name"]: v for v in lw.env_table()}
    assert table["AWS_SECRET_ACCESS_KEY"]["secret"] is True
    assert table["SYNC_INTERVAL"] == {
        "name": "SYNC_INTERVAL",
        "default": "60",
        "meaning": "sidecar: seconds between sync cycles (1 to 86400)",
        "secret": False,
        "read_by": "sync",
    }


def test_normalize_repos_accepts_json_text_or_a_list():
    text = '[{"branch": "dev", "url": "https://h/o/a.git", "autoPush": false}]'
    expected = [{"url": "https://h/o/a.git", "branch": "dev", "autoPush": False}]
    assert lw.normalize_repos(text) == expected
    assert lw.normalize_repos(json.loads(text)) == expected


def test_normalize_repos_with_names_adds_the_directory_name():
    assert lw.normalize_repos([{"url": "git@github.com:o/tool.git"}], with_names=True) == [
        {"url": "git@github.com:o/tool.git", "name": "tool"}
    ]


def test_normalize_repos_skips_an_item_without_url_with_a_warning():
    with pytest.warns(UserWarning, match=r'^config\.repo_without_url: REPOS_JSON\[1\] has no "url": skipped$'):
        assert lw.normalize_repos([{"url": "https://h/o/a"}, {"branch": "x"}]) == [{"url": "https://h/o/a"}]


def test_normalize_repos_errors_name_item_and_field():
    with pytest.raises(lw.InvalidInputError, match=r'^REPOS_JSON\[1\] must be an object'):
        lw.normalize_repos([{"url": "https://h/o/a"}, "https://h/o/b"])
    with pytest.raises(lw.InvalidInputError, match=r"^REPOS_JSON must be a JSON array, got an object$"):
        lw.normalize_repos({"url": "https://h/o/a"})
    with pytest.raises(lw.InvalidInputError, match=r"^REPOS_JSON is not valid JSON \(at byte 1\)"):
        lw.normalize_repos("[,")


def test_duplicate_repo_names_name_both_urls_without_credentials():
    with pytest.raises(lw.InvalidInputError) as info:
        lw.normalize_repos([{"url": "https://u:s3cret@a/x/r"}, {"url": "https://b/y/r.git"}])
    message = str(info.value)
    assert "'https://a/x/r' and 'https://b/y/r.git' would both be cloned into repos/r" in message
    assert "s3cret" not in message


def test_repos_from_session_prefers_repos_over_repo_url():
    assert lw.repos_from_session("https://h/o/one", '[{"url":"https://h/o/two"}]') == [
        {"url": "https://h/o/two"}
    ]
    assert lw.repos_from_session("https://h/o/one") == [{"url": "https://h/o/one"}]
    assert lw.repos_from_session() == []


def test_repo_name_and_its_error():
    assert lw.repo_name("https://host/org/repo.git/?x=1") == "repo"
    with pytest.raises(lw.InvalidInputError, match=r"gives no usable directory name \(got '\.\.'\)"):
        lw.repo_name("https://host/org/..")


def test_sanitize_name_keeps_letters_digits_and_dashes():
    assert lw.sanitize_name("Sess_1.dev-x") == "Sess1dev-x"


def test_pod_plan_returns_kubernetes_containers():
    plan = lw.pod_plan(SESSION, MINIO)
    assert plan["initHydrate"] and plan["stateSync"]
    assert plan["volumes"] == [{"name": "workspace", "emptyDir": {}}]
    init, sidecar = plan["initContainers"][0], plan["containers"][0]
    assert init["name"] == "init-hydrate"
    assert init["command"] == ["ambient-workspace", "hydrate", "--allow-losses"]
    assert env_of(init, "REPOS_JSON")["value"] == '[{"url":"https://github.com/o/app.git"}]'
    assert sidecar["volumeMounts"][1] == {"name": "workspace", "mountPath": "/app/.claude", "subPath": ".claude"}
    assert sidecar["securityContext"]["runAsNonRoot"] is True


def test_pod_plan_accepts_json_text_and_no_settings():
    plan = lw.pod_plan(json.dumps(SESSION))
    assert plan["initHydrate"] is True
    assert plan["stateSync"] is False
    assert plan["storage"] == {"source": "none"}


def test_pod_plan_uses_secret_refs():
    settings = {"secretRefs": {"AWS_ACCESS_KEY_ID": {"name": "s3", "key": "id"},
                               "AWS_SECRET_ACCESS_KEY": {"name": "s3", "key": "secret"}}}
    sidecar = lw.pod_plan(SESSION, settings)["containers"][0]
    assert env_of(sidecar, "AWS_ACCESS_KEY_ID") == {
        "name": "AWS_ACCESS_KEY_ID",
        "valueFrom": {"secretKeyRef": {"name": "s3", "key": "id"}},
    }


def test_pod_plan_incomplete_storage_plans_no_persistence_and_says_why():
    plan = lw.pod_plan(SESSION, {"projectStorage": {"storageMode": "custom", "S3_ENDPOINT": "https://s3"}})
    assert plan["stateSync"] is False
    assert plan["storage"] == {"source": "none"}
    condition = plan["conditions"][0]
    assert (condition["type"], condition["status"], condition["reason"]) == (
        "S3Available", "False", "IncompleteSettings")


def test_pod_plan_unknown_settings_field_is_refused():
    with pytest.raises(lw.InvalidInputError, match=r"^settings\.image is not a known field"):
        lw.pod_plan(SESSION, {"image": "x"})


def test_pod_plan_session_errors_name_the_field():
    with pytest.raises(lw.InvalidInputError, match=r'^session has no "namespace"$'):
        lw.pod_plan({"name": "s"})
