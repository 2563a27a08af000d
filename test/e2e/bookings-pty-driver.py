"""Drive an interactive pitstop command through a pseudo-terminal (used by the bookings and follow-up e2e tests).

stdin and stderr are the terminal (so prompts appear); stdout is a pipe, kept apart to check it stays clean.
Input (JSON on stdin): {"argv": [...], "env": {...}, "steps": [[regex, keys], ...], "timeout": seconds}
Each step waits until `regex` appears in the terminal output after the previous match, then types `keys`.
Two keys are actions instead: "<SIGHUP>" sends the command SIGHUP, "<CLOSE>" closes the terminal (hangs up).
Output (JSON on stdout): {"code": exit code, "stdout": ..., "terminal": everything shown on the terminal, "failed_step": index or null}
"""
import json, os, re, select, signal, subprocess, sys, time

spec = json.load(sys.stdin)
master, slave = os.openpty()
import termios, struct, fcntl
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 200, 0, 0))
proc = subprocess.Popen(spec['argv'], stdin=slave, stderr=slave, stdout=subprocess.PIPE, env=spec['env'], close_fds=True, start_new_session=True)
os.close(slave)
ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\r')
raw = b''
seen = 0
deadline = time.time() + spec.get('timeout', 30)
failed = None

def pump(wait):
    """Read what the terminal shows within `wait` seconds: 'data', 'idle' or 'eof'."""
    global raw
    if master is None:
        time.sleep(wait)
        return 'eof'
    r, _, _ = select.select([master], [], [], wait)
    if not r:
        return 'idle'
    try:
        data = os.read(master, 65536)
    except OSError:
        return 'eof'
    if not data:
        return 'eof'
    raw += data
    return 'data'

for i, (pattern, keys) in enumerate(spec['steps']):
    rx = re.compile(pattern)
    while True:
        text = ANSI.sub('', raw.decode('utf-8', 'replace'))
        m = rx.search(text, seen)
        if m:
            seen = m.end()
            break
        if time.time() > deadline or (proc.poll() is not None and pump(0.05) != 'data'):
            failed = i
            break
        pump(0.1)
    if failed is not None:
        break
    time.sleep(0.15)  # let the prompt finish drawing before typing
    if keys == '<SIGHUP>':
        proc.send_signal(signal.SIGHUP)
    elif keys == '<CLOSE>':
        os.close(master)
        master = None
        break
    else:
        os.write(master, keys.encode('utf-8'))

if failed is not None:
    proc.kill()
while proc.poll() is None and time.time() < deadline + 5:
    pump(0.1)
if proc.poll() is None:
    proc.kill()
out = proc.stdout.read()
while pump(0.05) == 'data':
    pass
json.dump({'code': proc.wait(), 'stdout': out.decode('utf-8', 'replace'), 'terminal': ANSI.sub('', raw.decode('utf-8', 'replace')), 'failed_step': failed}, sys.stdout, ensure_ascii=False)
