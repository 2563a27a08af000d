"""Drive the pitstop binary through a pseudo-terminal (stdin, stdout and stderr all a TTY).
argv[1]: JSON list, the command; argv[2]: JSON list of [text to wait for, keys to send].
Prints JSON {code, transcript}."""
import json, os, pty, select, sys, time

args = json.loads(sys.argv[1])
steps = json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(args[0], args, os.environ)

transcript = b''
seen = 0


def read_some(timeout):
    global transcript
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return False
    try:
        data = os.read(fd, 4096)
    except OSError:
        data = b''
    if not data:
        raise EOFError
    transcript += data
    return True


def wait_for(text, timeout=30):
    global seen
    want = text.encode()
    end = time.time() + timeout
    while want not in transcript[seen:]:
        left = end - time.time()
        if left <= 0 or not read_some(left):
            raise TimeoutError(text)
    seen = transcript.index(want, seen) + len(want)


error = None
try:
    for text, keys in steps:
        wait_for(text)
        time.sleep(0.15)
        os.write(fd, keys.encode())
    while True:
        if not read_some(30):
            break
except EOFError:
    pass
except TimeoutError as e:
    error = 'timed out waiting for %r' % str(e)
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
print(json.dumps({'code': code, 'error': error, 'transcript': transcript.decode('utf-8', 'replace')}))
