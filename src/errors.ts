/**
 * An error whose message is written for the member who caused it: the interaction
 * boundary shows it as is (ephemeral). Anything else is logged and answered with an apology.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
