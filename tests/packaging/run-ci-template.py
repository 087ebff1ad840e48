#!/usr/bin/env python3
"""Runs the shell of a CI template here, as its CI system would, offline.

  run-ci-template.py github ACTION.yml WORKSPACE TEMP [INPUT=VALUE...]
      the steps of a composite action: each `run` step with its env and
      working-directory (bash -eo pipefail, as GitHub's `shell: bash`),
      GITHUB_OUTPUT and GITHUB_PATH carried from step to step; a `uses`
      step cannot run offline and is only listed.  Prints the action's
      outputs as NAME=VALUE at the end.
  run-ci-template.py gitlab TEMPLATE.yml JOB CWD [VARIABLE=VALUE...]
      the job JOB (a hidden one included), its `extends` resolved as
      GitLab does (hashes merged, lists replaced), before_script and script
      in one shell that stops at the first failing line (sh -e).

Only the expressions the templates are allowed to use are known; any
other ${{ }} fails the run, so that a template cannot depend on something
this runner only pretends to give.  Exit status: the first failing step's.
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def expand(text, ctx):
    def one(m):
        name = m.group(1)
        if name not in ctx:
            raise SystemExit(f"run-ci-template: unknown expression ${{{{ {name} }}}} in {text!r}")
        return ctx[name]
    return EXPR.sub(one, str(text))


def read_kv(path):
    out = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    out[k] = v
    return out


def github(action_file, workspace, temp, given):
    with open(action_file) as f:
        action = yaml.safe_load(f)
    assert action["runs"]["using"] == "composite", "not a composite action"
    inputs = {k: str(v.get("default", "")) for k, v in action.get("inputs", {}).items()}
    for k in given:
        if k not in inputs:
            raise SystemExit(f"run-ci-template: the action has no input {k!r}")
    inputs.update(given)
    ctx = {f"inputs.{k}": v for k, v in inputs.items()}
    ctx.update({
        "github.action_path": os.path.dirname(os.path.abspath(action_file)),
        "github.action_repository": "",
        "github.workspace": workspace,
        "runner.temp": temp,
    })
    path_file = os.path.join(temp, "github_path")
    open(path_file, "w").close()
    for step in action["runs"]["steps"]:
        name = step.get("name", step.get("id", "?"))
        if "uses" in step:
            print(f"== step '{name}': uses {step['uses']}: not run offline", flush=True)
            continue
        if "if" in step:
            raise SystemExit(f"run-ci-template: step '{name}' has an if: this runner only runs unconditional run steps")
        out_file = os.path.join(temp, f"output-{step.get('id', 'step')}")
        open(out_file, "w").close()
        env = dict(os.environ)
        extra_path = [p for p in open(path_file).read().splitlines() if p]
        env["PATH"] = ":".join(list(reversed(extra_path)) + [env["PATH"]])
        env.update(GITHUB_OUTPUT=out_file, GITHUB_PATH=path_file, GITHUB_WORKSPACE=workspace,
                   RUNNER_TEMP=temp, CI="true")
        for k, v in step.get("env", {}).items():
            env[k] = expand(v, ctx)
        cwd = os.path.join(workspace, expand(step.get("working-directory", "."), ctx))
        shell = step.get("shell")
        assert shell == "bash", f"step '{name}': shell {shell!r}, expected bash"
        with tempfile.NamedTemporaryFile("w", suffix=".sh", dir=temp, delete=False) as script:
            script.write(step["run"])
        print(f"== step '{name}'", flush=True)
        rc = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", script.name], cwd=cwd, env=env)
        if "id" in step:
            for k, v in read_kv(out_file).items():
                ctx[f"steps.{step['id']}.outputs.{k}"] = v
        if rc != 0:
            print(f"== step '{name}' failed with exit status {rc}", flush=True)
            return rc
    for k, v in action.get("outputs", {}).items():
        print(f"{k}={expand(v['value'], ctx)}")
    return 0


def merged(jobs, name, seen=()):
    job = jobs[name]
    if name in seen:
        raise SystemExit(f"run-ci-template: extends loops at {name}")
    bases = job.get("extends", [])
    bases = [bases] if isinstance(bases, str) else bases
    out = {}
    for base in bases:
        deep_merge(out, merged(jobs, base, seen + (name,)))
    deep_merge(out, {k: v for k, v in job.items() if k != "extends"})
    return out


def deep_merge(into, new):
    for k, v in new.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            deep_merge(into[k], v)
        else:
            into[k] = v


def gitlab(template, job_name, cwd, given):
    with open(template) as f:
        jobs = yaml.safe_load(f)
    job = merged(jobs, job_name)
    env = dict(os.environ)
    env.update({k: str(v) for k, v in job.get("variables", {}).items()})
    env.update(given)
    lines = [str(x) for x in job.get("before_script", [])] + [str(x) for x in job["script"]]
    script = "\n".join(lines) + "\n"
    if EXPR.search(script):
        raise SystemExit("run-ci-template: a GitHub expression in a GitLab template")
    print(f"== job {job_name}: {len(lines)} script lines", flush=True)
    rc = subprocess.call(["sh", "-e", "-c", script], cwd=cwd, env=env)
    if rc != 0:
        print(f"== job {job_name} failed with exit status {rc}", flush=True)
    for path in job.get("artifacts", {}).get("reports", {}).values():
        print(f"report={path}")
    return rc


def pairs(args):
    out = {}
    for a in args:
        k, _, v = a.partition("=")
        out[k] = v
    return out


def main(argv):
    if len(argv) >= 5 and argv[1] == "github":
        return github(argv[2], argv[3], argv[4], pairs(argv[5:]))
    if len(argv) >= 5 and argv[1] == "gitlab":
        return gitlab(argv[2], argv[3], argv[4], pairs(argv[5:]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
