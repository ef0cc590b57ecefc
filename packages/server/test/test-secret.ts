export const TEST_SECRET = 'test-secret-of-at-least-thirty-two-characters';
