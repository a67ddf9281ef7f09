import { redactUrl } from './redactUrl';

describe('redactUrl', () => {
  it('hides passwords in service URLs', () => {
    expect(redactUrl('amqp://guest:s3cret@127.0.0.1:5672')).toBe(
      'amqp://guest:***@127.0.0.1:5672',
    );
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/x')).toBe(
      'postgres://postgres@127.0.0.1:5432/x',
    );
    expect(redactUrl('not a url')).toBe('(unparseable url)');
  });
});
