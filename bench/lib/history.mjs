/**
 * Instructions per renderDsn of the standard fixture (one recipient, 1,589 octets of original
 * headers, a given boundary), counted with callgrind under `node --single-threaded
 * --predictable-gc-schedule` (as bench/callgrind.mjs does; repeated runs agree within about 1 %)
 * on the build of each commit. Not measured by `npm run bench`: kept here so that the report shows
 * what each optimisation did, in a unit that load does not change.
 */
export const INSTRUCTION_HISTORY = Object.assign(
  [
    { change: "before (612c317)", ir: 124257 },
    { change: "80b79e0 one sticky expression checks the original's header block", ir: 96579 },
    { change: "f5ac841 common case of text, mailbox, msg-id, status checks answered natively", ir: 70613 },
    { change: "55c3f9b validation settles line lengths from lengths", ir: 68000 },
    { change: "ff4211e needsGlobal without per-call closures", ir: 67907 },
    { change: "dd9fa7d random boundaries from a pool (given boundary: unchanged)", ir: 67813 },
    { change: "5bd9f92 RFC 5322 dates by arithmetic", ir: 65522 },
    { change: "14fb036 display names and given boundaries by one expression each", ir: 63707 },
    { change: "a0a71f3, 61582be the header block ends where its lines stop; needsGlobal skips what validation holds to ASCII", ir: 62331 },
    { change: "9b5f72b render profiles: the layout read from data by one writer (measured again at cbd0202)", ir: 65977 },
    { change: "67d5f9d a part's body is not copied to be searched for the boundary", ir: 64826 },
  ],
  {
    /** The template-literal baseline, the same message. */
    template: 19712,
    /** renderDsn with a random boundary, before and after. */
    randomBoundary: { before: 143286, after: 65128 },
    /** renderBounce (request to DSN), before and after. */
    renderBounce: { before: 386871, after: 251607 },
    /** validateBounce alone, before and after. */
    validateBounce: { before: 37418, after: 14718 },
  },
);

/**
 * Instructions per renderBounce of the standard fixture (Message-ID and boundary given), counted
 * as above but with `--iterations=3000 --warm=7000`, each commit's core built apart by
 * `node bench/callgrind.mjs bounce --commit=<commit>` (issue 17). The first row is the code the
 * issue started from.
 */
export const BOUNCE_HISTORY = Object.assign(
  [
    { change: "before (cbd0202, the core of 79626d9)", ir: 258852 },
    { change: "49566e5 random Message-IDs from the boundaries' pool (given here: unchanged)", ir: 259283 },
    { change: "72ffa59 date-fns' parseISO by its own path; the common ISO-8601 form read directly", ir: 226173 },
    { change: "59821ed the bounce built from what validating the request read", ir: 197526 },
    { change: "0a82f34 the original's header block checked once, by resolution", ir: 144873 },
    { change: "52a7ee7 a host name of plain labels recognised in one native pass", ir: 132919 },
    { change: "94ac7de after merging main (the security work: Unicode line breaks refused)", ir: 131531 },
    { change: "9f18ed8 the common ISO-8601 form tried first, read from fixed positions", ir: 124441 },
    { change: "79102e9 only Return-Path, From and Message-ID cut out of a plain header block", ir: 120720 },
    { change: "67d5f9d a part's body is not copied to be searched for the boundary (the fixture returns headers only: no gain here)", ir: 121239 },
    { change: "f7c3733 header values unfolded only when folded; a msg-id's @ found with indexOf", ir: 115104 },
  ],
  {
    /** The template-literal baseline, counted the same way. */
    template: 19639,
    /** renderBounce with a random Message-ID and boundary, before and after the pool (49566e5). */
    randomIds: { before: 283885, after: 260992 },
  },
);
