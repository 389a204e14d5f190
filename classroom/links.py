"""nbgitpuller links for a class, one per lesson (docs/classroom.md).

    python classroom/links.py https://hub.example.org
    python classroom/links.py https://hub.example.org --folder notebooks     # the full lessons
    python classroom/links.py https://hub.example.org --repo https://github.com/you/your-fork

Each link, clicked by a logged-in student, clones the course into ``~/course`` the first
time, merges the teacher's updates on later clicks, and opens the lesson in JupyterLab.
Standard library only.
"""

from __future__ import annotations

import argparse
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPO = "https://github.com/three-good-students/course"


def pull_link(hub: str, repo: str, path: str, branch: str = "main") -> str:
    """The link that pulls ``repo`` into the student's home and opens ``path`` (relative to the clone).

    >>> pull_link("https://hub.example.org/", "https://github.com/a/course", "student/00_welcome.ipynb")
    'https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fa%2Fcourse&branch=main&urlpath=lab%2Ftree%2Fcourse%2Fstudent%2F00_welcome.ipynb'
    """
    folder = repo.rstrip("/").split("/")[-1]  # nbgitpuller names the clone after the repository
    query = urllib.parse.urlencode({"repo": repo, "branch": branch, "urlpath": f"lab/tree/{folder}/{path}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("hub", help="the hub's address, e.g. https://hub.example.org")
    parser.add_argument("--repo", default=REPO, help=f"the course's git repository (default {REPO})")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--folder", default="student", choices=["student", "notebooks"],
                        help="student: copies without solutions (default); notebooks: full lessons")
    args = parser.parse_args(argv)
    for lesson in sorted((ROOT / args.folder).glob("[0-9][0-9]_*.ipynb")):
        print(f"{lesson.stem}: {pull_link(args.hub, args.repo, f'{args.folder}/{lesson.name}', args.branch)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
