// The --help text: every option of the command line, with its default.
export const HELP_TEXT = `Usage: health-data-lint [paths...] [options]
       health-data-lint inventory [paths...] [--format markdown|json|csv] [--output-file <file>]
       health-data-lint merge <sarif...> [--output-file <file>]

Flags health data that leaves a TypeScript/JavaScript project without anonymisation
or a recorded GDPR legal basis. Every tsconfig.json / jsconfig.json under the paths
(default: the current directory) is analysed as a project.

Options:
  --project <tsconfig>        Analyse only this tsconfig.json / jsconfig.json (repeatable)
  --format <format>           stylish (default), json, sarif, markdown, html (the
                              health-data map) or register (a draft
                              health-data-register.yaml to complete)
  --output-file <file>        Write the report to a file instead of stdout
  --config <file>             Configuration file (default: the nearest
                              health-data-lint.config.json or package.json "healthDataLint")
  --rule <rule-id>=<severity> Override a rule's severity: off, warning, error or
                              information (repeatable)
  --baseline <file>           Do not report findings accepted in this baseline; list
                              baseline entries that no finding matches any more as fixed
  --write-baseline <file>     Record the current findings in a baseline file (a legacy
                              project then fails only on new findings)
  --changed-since <git-ref>   Report only findings whose sink, source or a step lies on a
                              line changed since the ref (working tree and untracked
                              files included)
  --cache                     Reuse the results of files that did not change, nor any file
                              they depend on, since the last --cache run (safe to delete)
  --cache-location <dir>      Where the cache lives (implies --cache; default:
                              node_modules/.cache/health-data-lint)
  --max-warnings <n>          Fail (exit 1) when there are more than n warnings
  --jobs <n|auto>             Analyse up to n tsconfig projects at once on worker
                              threads (default 1; 0 or auto: one per CPU). The report
                              is the same whatever n; one project gains nothing
  --shard <i>/<n>             Analyse only the i-th of n shards of the tsconfig projects
                              (whole projects, the same split on every machine), for a
                              CI matrix; combine the shards' SARIF with merge
  --quiet                     Report errors only
  --no-progress               No progress line on stderr
  --version                   Print the version
  --help, -h                  Print this help

Inventory:
  health-data-lint inventory lists every health-data field (declared in TypeScript,
  Zod, Prisma, OpenAPI, GraphQL or SQL) with why it is health data and where its
  data goes (anonymised, pseudonymised, covered by which basis, uncovered).
  --format markdown (default), json or csv; --project, --config, --output-file apply.

Merge:
  health-data-lint merge combines SARIF files (the shards of a CI matrix) into one run
  per tool; merging every shard of a scan gives the SARIF of the unsharded scan. Exit 1
  when an unsuppressed error remains, 2 when a file is unreadable, not SARIF, or a
  shard is missing or given twice.

Exit codes:
  0  no finding at error severity
  1  findings at error severity, or more warnings than --max-warnings
  2  usage or configuration error, or no project could be analysed

Suppress a finding with a justification on the line before it:
  // health-data-lint-disable-next-line <rule-id> -- <why this is acceptable>
`;
