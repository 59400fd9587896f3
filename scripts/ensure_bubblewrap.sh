#!/usr/bin/env bash
# Make sure bubblewrap is there for grading (course_tools/grading/sandbox.py), called by `make test`.
#
# Every submission is graded in a bubblewrap sandbox (as the user nobody, with resource limits),
# because grading runs the learner's code. Without bwrap the pipeline REFUSES to autograde,
# with a message saying how to install it, unless the instructor opts out explicitly with
# HSML_GRADING_SANDBOX=off (trusted submissions only; docs/INSTRUCTORS.md).
#
# - bwrap is installed: say so, nothing else.
# - Else, as root with apt-get: install Debian's `bubblewrap` (a few seconds, < 1 MB), saying so.
# - Else: say why and how; the grading tests then fail with the pipeline's own message.
# prlimit and setpriv come with util-linux (always there on Debian).
set -u

if path=$(command -v bwrap 2>/dev/null); then
    echo "ensure_bubblewrap: grading kernels will run in $path"
    exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_bubblewrap: bubblewrap (bwrap) not found and cannot be installed here (needs root and apt-get):" \
         "grading will refuse to run learner code. Install it: sudo apt-get install bubblewrap." >&2
    exit 0
fi
echo "ensure_bubblewrap: bubblewrap not found; installing Debian's bubblewrap for the grading sandbox:"
echo "  apt-get install -y --no-install-recommends bubblewrap"
if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap >/dev/null 2>&1 \
   || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap; }; then
    echo "ensure_bubblewrap: installed $(command -v bwrap)"
else
    echo "ensure_bubblewrap: installing bubblewrap FAILED (see above): grading will refuse to run learner code." >&2
fi
exit 0
