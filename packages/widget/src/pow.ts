/**
 * The proof-of-work solver, a chunk of its own: the widget imports it only when a
 * challenge carries a puzzle (see models/challenge-model.ts), so readers of sites that
 * ask for none never download it. It imports nothing from the app: the chunk is the
 * SDK's solver and the small SHA-256 written for it (packages/sdk/src/sha256.ts; no
 * crypto.subtle, so it works on plain http pages too), nothing else.
 */
export { solveProofOfWork } from '@hiwar/sdk';
