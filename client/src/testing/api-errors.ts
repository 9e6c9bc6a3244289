/**
 * The server's answer to invalid input (server/common/errors): 422 with one field's rule
 * in `errors` and the messages joined in `message`. Spread into a TestRequest's flush:
 * `req.flush(...validationFailure('name', 'name must be shorter…'))`.
 */
export function validationFailure(
  field: string,
  message: string,
): [
  body: {
    status_code: number;
    error: string;
    message: string;
    errors: { field: string; message: string }[];
  },
  init: { status: number; statusText: string },
] {
  return [
    { status_code: 422, error: 'Unprocessable Entity', message, errors: [{ field, message }] },
    { status: 422, statusText: 'Unprocessable Entity' },
  ];
}
