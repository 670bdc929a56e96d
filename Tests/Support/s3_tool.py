"""boto3 side of the batch transform S3 tests: sets up a moto server's IAM
user and buckets, writes inputs and reads outputs, so what Conveyor writes
is checked by the reference client. Runs in training/.venvs/s3 (.ci/s3-tools.sh).

  s3_tool.py setup ENDPOINT BUCKET...          -> prints "KEY_ID SECRET" (uses the no-auth window)
  s3_tool.py upload ENDPOINT DIR BUCKET PREFIX  (every file under DIR, keys PREFIX + relative path)
  s3_tool.py download ENDPOINT BUCKET PREFIX DIR
  s3_tool.py uploads ENDPOINT BUCKET            -> prints in-progress multipart uploads, one key a line
  s3_tool.py restricted ENDPOINT BUCKET         -> prints "KEY_ID SECRET" of a new user denied
                                                   s3:ListBucket and s3:GetObject on BUCKET
Credentials for everything but setup come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
"""
import json
import os
import sys

import boto3


def client(service, endpoint, **keys):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", **keys)


def setup(endpoint, buckets):
    anonymous = {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key": "x"}
    iam = client("iam", endpoint, **anonymous)
    iam.create_user(UserName="conveyor")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.put_user_policy(UserName="conveyor", PolicyName="all", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="conveyor")["AccessKey"]
    s3 = client("s3", endpoint, **anonymous)
    for bucket in buckets:
        s3.create_bucket(Bucket=bucket)
    print(key["AccessKeyId"], key["SecretAccessKey"])


def upload(endpoint, folder, bucket, prefix):
    s3 = client("s3", endpoint)
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            key = prefix + os.path.relpath(path, folder).replace(os.sep, "/")
            with open(path, "rb") as f:
                s3.put_object(Bucket=bucket, Key=key, Body=f.read())


def download(endpoint, bucket, prefix, folder):
    s3 = client("s3", endpoint)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            target = os.path.join(folder, item["Key"][len(prefix):])
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            with open(target, "wb") as f:
                f.write(s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read())


def uploads(endpoint, bucket):
    s3 = client("s3", endpoint)
    for upload in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
        print(upload["Key"])


def restricted(endpoint, bucket):
    iam = client("iam", endpoint)
    iam.create_user(UserName="restricted")
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Action": ["s3:ListBucket", "s3:GetObject"],
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}]}
    iam.put_user_policy(UserName="restricted", PolicyName="no-reading", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="restricted")["AccessKey"]
    print(key["AccessKeyId"], key["SecretAccessKey"])


if __name__ == "__main__":
    command, endpoint, *rest = sys.argv[1:]
    if command == "setup":
        setup(endpoint, rest)
    elif command == "upload":
        upload(endpoint, *rest)
    elif command == "download":
        download(endpoint, *rest)
    elif command == "uploads":
        uploads(endpoint, *rest)
    elif command == "restricted":
        restricted(endpoint, *rest)
    else:
        sys.exit(f"unknown command {command}")
