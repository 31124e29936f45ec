import bcrypt from 'bcrypt';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * Compares a password with a stored hash. With no hash (unknown account) it
   * still spends one bcrypt comparison, so that response times do not tell which
   * emails are registered.
   */
  verify(password: string, hash: string | undefined): Promise<boolean>;
  readonly cost: number;
}

export function createPasswordHasher(cost: number): PasswordHasher {
  // Ready before the first login with an unknown email, which would otherwise pay for it twice.
  const dummyHash = bcrypt.hash('not a real password', cost);
  return {
    cost,
    hash: (password) => bcrypt.hash(password, cost),
    async verify(password, hash) {
      if (hash !== undefined) return bcrypt.compare(password, hash);
      await bcrypt.compare(password, await dummyHash);
      return false;
    },
  };
}
