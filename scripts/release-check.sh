#!/usr/bin/env bash
# What the release workflow (.github/workflows/release.yml) checks before anything is published.
#
#   scripts/release-check.sh <tag> [package folder]
#
# - the tag is v<version> of package.json (and, in GitHub Actions, the run is on a tag);
# - CHANGELOG.md has that version's entry with its date: `## [<version>] - YYYY-MM-DD`;
# - in GitHub Actions, package.json's repository.url names the repository the workflow runs in:
#   npm refuses a provenance statement whose source repository differs from it.
set -euo pipefail

die() {
	echo "release-check: $*" >&2
	exit 1
}

[[ $# == 1 || $# == 2 ]] || die "usage: $0 <tag> [package folder]"
tag=$1
cd "${2:-$(dirname "$0")/..}"

version=$(node -p 'require("./package.json").version')
repository=$(node -p 'const { repository } = require("./package.json"); (typeof repository === "string" ? repository : repository?.url) ?? ""')

if [[ -n ${GITHUB_REF_TYPE:-} && $GITHUB_REF_TYPE != tag ]]; then
	die "the release runs on a version tag, not on the $GITHUB_REF_TYPE '$tag': push the tag v$version, or choose it under 'Use workflow from'"
fi
[[ $tag == "v$version" ]] || die "the tag '$tag' is not v$version, the version in package.json"

grep -Eq "^## \[$version\] - [0-9]{4}-[0-9]{2}-[0-9]{2}\$" CHANGELOG.md ||
	die "CHANGELOG.md has no dated entry for $version: its heading must read '## [$version] - YYYY-MM-DD'"

if [[ -n ${GITHUB_REPOSITORY:-} ]]; then
	# git+https://host/owner/repo.git, https://host/owner/repo → host/owner/repo
	normalized=$(sed -E 's#^git\+##; s#^[a-z]+://##; s#\.git$##; s#/$##' <<<"$repository")
	expected="${GITHUB_SERVER_URL#*://}/$GITHUB_REPOSITORY"
	[[ ${normalized,,} == "${expected,,}" ]] ||
		die "package.json repository.url is '$repository', but this workflow runs in $GITHUB_SERVER_URL/$GITHUB_REPOSITORY"
fi

echo "release-check: v$version is ready to publish"
