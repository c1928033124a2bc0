#!/usr/bin/env node
// Prints docs/cli.md: the reference of every `coffer` command, generated from the commander program
// that the built CLI uses (dist/electron/cli/program.js), placed between the hand-written parts of
// scripts/cli-docs.template.md. `npm run docs:cli` builds and writes it; test/unit/cli-docs.test.ts
// fails when the committed file differs.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const TEMPLATE = join(__dirname, 'cli-docs.template.md');

/** What each error code means to someone at a terminal; the exit numbers come from electron/cli/output.ts. */
const MEANINGS = {
  INTERNAL: 'internal error: a bug (run again with `COFFER_DEBUG=1` for details, and report it)',
  VALIDATION: 'usage error or invalid input: unknown or missing flag, bad value, missing stdin line; the field at fault is named when there is one',
  AUTH: 'wrong member name or password; a bundle not addressed to you, a wrong passphrase, or a signer you do not trust',
  TAMPERED: 'something failed verification: a record, a bundle, key-derivation parameters, or the audit chain; or the vault file is damaged (`coffer doctor` says what is unreadable)',
  NOT_FOUND: 'no such vault, secret, member, workspace, team, revision, file, or command to `run`',
  CONFLICT: 'name taken, name ambiguous, wrong confirmation word, last Account Holder, file already exists',
  FORBIDDEN: 'your role lacks the permission, or no key of that scope is sealed to you',
  LOCKED: 'the vault is busy (another process is writing) or opened with `--read-only`',
  UNSUPPORTED_VERSION: 'a vault or bundle from a newer Coffer, or an older vault that must be upgraded before `--read-only`',
};

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text) => `\`${text}\``;
const pathOf = (cmd) => (cmd.parent ? `${pathOf(cmd.parent)} ${cmd.name()}` : cmd.name());
const commandsOf = (cmd) => cmd.commands.flatMap((c) => [c, ...commandsOf(c)]);
const isLeaf = (cmd) => cmd.commands.length === 0;
/** commander's descriptions are lower-case phrases; under a heading they read as a sentence. */
const sentence = (text) => `${text[0].toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

function optionTable(options) {
  const rows = options.map((o) => {
    const notes = [o.description];
    if (o.mandatory) notes.push('required');
    if (o.argChoices) notes.push(`one of ${o.argChoices.map(code).join(', ')}`);
    const byDefault = o.defaultValue === undefined ? '' : code(o.defaultValue);
    return `| ${code(o.flags)} | ${cell(notes.filter(Boolean).join('; '))} | ${byDefault} |`;
  });
  return ['| option | description | default |', '|---|---|---|', ...rows].join('\n');
}

function argumentTable(args) {
  const rows = args.map((a) => {
    const term = a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`;
    const notes = [a.description, a.argChoices && `one of ${a.argChoices.map(code).join(', ')}`];
    return `| ${code(term)} | ${cell(notes.filter(Boolean).join('; '))} |`;
  });
  return ['| argument | description |', '|---|---|', ...rows].join('\n');
}

/** One command: heading, description, usage, then its arguments and options (or, for a group, its commands). */
function commandSection(cmd, depth) {
  const path = pathOf(cmd);
  const parts = [`${'#'.repeat(depth)} ${code(path)}`, sentence(cmd.description())];
  if (isLeaf(cmd)) {
    parts.push(['```', `${path} ${cmd.usage()}`, '```'].join('\n'));
    if (cmd.registeredArguments.length) parts.push(argumentTable(cmd.registeredArguments));
    if (cmd.options.length) parts.push(optionTable(cmd.options));
  } else {
    parts.push(cmd.commands.map((c) => `- ${code(pathOf(c))}: ${c.description()}`).join('\n'));
  }
  return [parts.join('\n\n'), ...cmd.commands.map((c) => commandSection(c, depth + 1))].join('\n\n');
}

function exitCodeTable(exitCodes) {
  const rows = ['| 0 | | success |'];
  for (const [name, exit] of Object.entries(exitCodes).sort((a, b) => a[1] - b[1])) {
    if (!MEANINGS[name]) throw new Error(`scripts/cli-docs.js: say what error code ${name} means in MEANINGS`);
    rows.push(`| ${exit} | ${code(name)} | ${MEANINGS[name]} |`);
  }
  return ['| exit | code | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** The whole of docs/cli.md, from the built program and the template. */
function cliDocs() {
  const { buildProgram } = require(join(root, 'dist/electron/cli/program.js'));
  const { EXIT_CODES } = require(join(root, 'dist/electron/cli/output.js'));
  const program = buildProgram();
  const template = readFileSync(TEMPLATE, 'utf8');

  // Every command's --json output is described by hand: a new command without its row fails here.
  for (const cmd of commandsOf(program).filter(isLeaf)) {
    if (!template.includes(`| ${code(pathOf(cmd))} |`)) throw new Error(`scripts/cli-docs.template.md: add the --json output of ${pathOf(cmd)}`);
  }

  const generated = {
    'global options': `${optionTable(program.options)}\n\n${code('-h, --help')} works on every command and exits 0.`,
    'command index': commandsOf(program)
      .filter(isLeaf)
      .map((c) => `| ${code(pathOf(c))} | ${cell(c.description())} |`)
      .join('\n'),
    commands: program.commands.map((c) => commandSection(c, 3)).join('\n\n'),
    'exit codes': exitCodeTable(EXIT_CODES),
  };
  return template.replace(/<!-- generated: ([a-z ]+) -->/g, (marker, name) => {
    if (generated[name] === undefined) throw new Error(`scripts/cli-docs.template.md: unknown marker ${marker}`);
    return generated[name];
  });
}

module.exports = { cliDocs };

if (require.main === module) process.stdout.write(cliDocs());
