"""Prints each failed test in the TRX files given on the command line: name, message and the top of the stack.

CI output is long (failed tests carry their captured logs), and only its tail is read first, so the run ends
with this short list right above the summary line.
"""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
FAILED = {"Failed", "Error", "Timeout", "Aborted"}

for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    for result in root.iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") not in FAILED:
            continue
        print(f"FAILED {result.get('testName')} ({result.get('duration')})")
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS).strip()
        stack = result.findtext("t:Output/t:ErrorInfo/t:StackTrace", default="", namespaces=NS).strip()
        for line in message.splitlines()[:25]:
            print(f"    {line}")
        for line in stack.splitlines()[:12]:
            print(f"      {line.strip()}")
