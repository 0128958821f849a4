"""Python app: reads and writes files, lists a directory, stats files and
uses json and hashlib; prints only what is the same on every run."""
import hashlib
import json
import os
import stat
import sys

print("Hello from Python %d.%d" % sys.version_info[:2])
print("argv:", sys.argv[1:])

# Read a file shipped in the rootfs.
with open("/input.json") as f:
    data = json.load(f)
print("input:", json.dumps(data, sort_keys=True))
st = os.stat("/input.json")
print("input.json: size %d mode %o regular %s mtime %d" % (
    st.st_size, stat.S_IMODE(st.st_mode), stat.S_ISREG(st.st_mode),
    int(st.st_mtime)))

# Write files in a fresh directory, read them back, list it, stat them.
d = "/tmp/pyapp"
os.makedirs(d + "/sub", exist_ok=True)
for i in range(5):
    with open("%s/file%d.txt" % (d, i), "w") as f:
        f.write("line %d\n" % i * (i + 1))
with open(d + "/data.json", "w") as f:
    json.dump({"apps": data["apps"], "squares": [i * i for i in range(10)]},
              f, sort_keys=True, indent=1)
with open(d + "/blob.bin", "wb") as f:
    f.write(bytes(range(256)) * 64)
os.chmod(d + "/file0.txt", 0o600)
os.rename(d + "/file4.txt", d + "/renamed.txt")
with open(d + "/file1.txt", "a") as f:
    f.write("appended\n")

print("listing:", sorted(os.listdir(d)))
for name in sorted(os.listdir(d)):
    p = os.path.join(d, name)
    st = os.stat(p)
    kind = "dir" if stat.S_ISDIR(st.st_mode) else "file"
    size = st.st_size if kind == "file" else "-"
    print("  %-12s %s %s" % (name, kind, size))
print("file0 mode: %o" % stat.S_IMODE(os.stat(d + "/file0.txt").st_mode))
with open(d + "/file1.txt") as f:
    print("file1:", f.read().splitlines())
with open(d + "/data.json") as f:
    back = json.load(f)
print("json back:", back == {"apps": data["apps"],
                              "squares": [i * i for i in range(10)]})
with open(d + "/blob.bin", "rb") as f:
    blob = f.read()
print("blob: %d bytes sha256 %s" % (len(blob), hashlib.sha256(blob).hexdigest()))
print("md5(input.json):", hashlib.md5(open("/input.json", "rb").read()).hexdigest())
print("exists:", os.path.exists(d + "/file4.txt"), os.path.isdir(d + "/sub"))

# Clean up (so that a native run leaves the rootfs as it was).
for name in os.listdir(d):
    p = os.path.join(d, name)
    if os.path.isdir(p):
        os.rmdir(p)
    else:
        os.unlink(p)
os.rmdir(d)
print("cleaned:", not os.path.exists(d))
