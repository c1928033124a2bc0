#!/usr/bin/env node
// Launch contract of ../shared/CLI.md. Until the desktop window lands, Coffer is used through its CLI.
console.log(
  [
    'Coffer: the desktop window and browser mode are not built yet; use the command line for now.',
    '',
    '  npx coffer --help',
    '  npx coffer init --org "Acme" --member alice          # create a vault (asks for a password)',
    '  npx coffer secret add api-key stripe --header Authorization',
    '  npx coffer secret list',
    '',
    'The README has a full walkthrough.',
  ].join('\n'),
);
