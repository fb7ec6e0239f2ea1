"""Independent SigV4 oracle for test_sigv4_botocore_peer: signs each request
(one JSON object per stdin line: method, url, headers = the headers our
signer signed, x-amz-date among them) with botocore's S3SigV4Auth, AWS's own
implementation, and prints the Authorization value it computes, one per line.
A line {"encode": key} instead prints botocore's S3 key encoding.
Exit 77 when botocore is not installed (the test then fails, naming the package)."""
import datetime
import json
import sys
from unittest import mock

try:
    import botocore.auth
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from botocore.utils import percent_encode
except ImportError:
    sys.exit(77)


class GivenPayloadHash(S3SigV4Auth):
    """S3SigV4Auth, but keeping the request's x-amz-content-sha256 (botocore
    would hash the body itself, and the oracle is not sent bodies)."""

    def _modify_request_before_signing(self, request):
        given = request.headers['X-Amz-Content-SHA256']
        super()._modify_request_before_signing(request)
        del request.headers['X-Amz-Content-SHA256']
        request.headers['X-Amz-Content-SHA256'] = given


def clock_at(when):
    """Freezes the clock botocore signs with at `when`: newer botocore reads
    it from get_current_datetime(), Debian's 1.29 from datetime.utcnow()."""
    if hasattr(botocore.auth, 'get_current_datetime'):
        return mock.patch('botocore.auth.get_current_datetime', return_value=when)

    class Frozen(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return when

    return mock.patch('botocore.auth.datetime.datetime', Frozen)


for line in sys.stdin:
    r = json.loads(line)
    if 'encode' in r:
        print(json.dumps(percent_encode(r['encode'], safe='/~')))
        continue
    when = datetime.datetime.strptime(r['headers']['x-amz-date'], '%Y%m%dT%H%M%SZ')
    headers = {k: v for k, v in r['headers'].items() if k != 'x-amz-date'}
    request = AWSRequest(method=r['method'], url=r['url'], headers=headers, data=b'')
    auth = GivenPayloadHash(Credentials(r['access_key'], r['secret_key']), 's3', r['region'])
    with clock_at(when):
        auth.add_auth(request)
    print(json.dumps(request.headers['Authorization']))
