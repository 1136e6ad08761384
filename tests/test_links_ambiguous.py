"""Ambiguous names from the notes themselves: each links where it means the service only.

Every case is a sentence from ``notes/`` (``file:line``, files named by their number), put on a
page alone, under its heading when the heading matters. ``expected`` is the entry the
``surface`` links to, or ``None`` when that surface must not link at all. A few ``adapted``
cases reword a note line, and ``synthetic`` ones cover readings the notes do not contain.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studysite.links import Linker

ROOT = Path(__file__).resolve().parents[1]


# (note:line, heading above it or None, sentence, surface, entry it links to or None)
CASES = [
    ("000:304", None, "- The in-memory (RAM) state is preserved", "RAM", None),
    ("000:308", None, "- __Instance RAM Size – must be less than 150 GB.__", "RAM", None),
    (
        "000:381",
        None,
        "- AWS just runs ECS Tasks for you based on the CPU / RAM you need",
        "RAM",
        None,
    ),
    ("000:2044", None, "  - 2 CPUs, 4GB RAM, wired or wireless access", "RAM", None),
    (
        "001:4660",
        None,
        "- Easy to get more resources per functions (up to 10GB of RAM)",
        "RAM",
        None,
    ),
    (
        "000:1586",
        None,
        "- Share Transit Gateway across accounts using Resource Access Manager (RAM) connection "
        "between VPCs in the __same region__ but different accounts",
        "Resource Access Manager",
        "ram",
    ),
    (
        "adapted 001:6512",
        "AWS Resource Access Manager (RAM)",
        "- RAM: share AWS resources with other AWS accounts to avoid resource duplication",
        "RAM",
        "ram",
    ),
    ("000:2067", None, "- __When to use: Up to exabytes(EB)__", "EB", None),
    ("001:3600", None, "- Transfer exabytes of data (1 EB = 1,000 PB = 1,000,000 TB)", "EB", None),
    ("001:6924", None, "- Notifies through an EB event", "EB", "eventbridge"),
    ("000:1955", None, "   - SMS & Mobile Notifications", "SMS", None),
    (
        "000:2289",
        None,
        "- Integrates into existing websites, applications, SMS, email marketing systems, …",
        "SMS",
        None,
    ),
    ("001:7995", None, "- AWS Server Migration Service (SMS)", "SMS", None),
    (
        "001:7995",
        None,
        "- AWS Server Migration Service (SMS)",
        "AWS Server Migration Service",
        "application-migration-service",
    ),
    (
        "001:8247",
        None,
        "- IaC allows us to write our infrastructure as a config file which can be easily "
        "replicated",
        "config",
        None,
    ),
    (
        "003:150",
        None,
        "*Don't config AWS key and ID in EC2 instance and use IAM for EC2 instance access*",
        "config",
        None,
    ),
    ("001:5887", None, "Config → Create rules", "Config", "config"),
    ("001:5830", None, "- AWS Config is a per-region service", "AWS Config", "config"),
    (
        "000:1333",
        None,
        "- Allows EC2 instances in private subnets to connect to the Internet",
        "connect",
        None,
    ),
    ("001:1790", None, "- Connect to RDS database", "Connect", None),
    (
        "001:1552",
        None,
        "Connect to an EC2 instance and install stress by running these two linux commands:",
        "Connect",
        None,
    ),
    (
        "000:1534",
        None,
        "- Using DX, we will create a Private VIF to the Direct Connect Gateway which will "
        "extend the VIF to Virtual Private Gateways in multiple VPCs",
        "DX",
        "direct-connect",
    ),
    ("000:1110", None, "  - Backup retention: 7 days (max 35 days)", "Backup", None),
    (
        "000:1019",
        None,
        "Backup allows you to consolidate your backups across multiple AWS services, such as :",
        "Backup",
        None,
    ),
    ("001:7876", None, "- Backup and Restore", "Backup", None),
    (
        "001:7998",
        None,
        "- Enforce a WORM (Write Once Read Many) state for all the backups that you store in "
        "your AWS Backup Vault",
        "AWS Backup",
        "backup",
    ),
    ("002:151", None, "    * HDFS, HBase, Cassandra, Kafka", "Kafka", None),
    (
        "002:553",
        None,
        "It is like a managed alternative to kafka. It uses the same principle and features set.",
        "kafka",
        None,
    ),
    (
        "001:5354",
        None,
        "- **Glue Streaming ETL** (built on Apache Spark Structured Streaming): compatible with "
        "Kinesis Data Streaming, Kafka, MSK (managed Kafka)",
        "Kafka",
        None,
    ),
    (
        "001:5354",
        None,
        "- **Glue Streaming ETL** (built on Apache Spark Structured Streaming): compatible with "
        "Kinesis Data Streaming, Kafka, MSK (managed Kafka)",
        "MSK",
        "msk",
    ),
    ("000:181", None, "- Cache for in-memory databases (for example, Redis)", "Redis", None),
    (
        "002:386",
        None,
        "Another solution is to keep session data into an elastic cache, like Redis, and use the "
        "sessionId as key and persisted in a user cookie.",
        "Redis",
        None,
    ),
    (
        "001:5184",
        None,
        "- Managed Redis / Memcached (similar offering as RDS, but for caches)",
        "Redis",
        "elasticache",
    ),
    (
        "000:2774",
        None,
        "- Directory Gateway (proxy) to redirect to on- premises AD, supports MFA",
        "Gateway",
        None,
    ),
    (
        "001:1247",
        None,
        " - Transparent Network Gateway (single entry/exit for all traffic)",
        "Gateway",
        None,
    ),
    (
        "002:603",
        None,
        "The mobile application access application via REST HTTP through API gateway.",
        "API gateway",
        "api-gateway",
    ),
    (
        "000:3027",
        None,
        "- Internally, the AWS Network Firewall uses the AWS Gateway Load Balancer",
        "AWS Gateway Load Balancer",
        "gwlb",
    ),
    ("001:5064", None, "CF will distribute the content globally.", "CF", "cloudfront"),
    (
        "001:8144",
        None,
        "- CloudFront distribution sits outside the VPC. The ALB gets to see the CF's public IPs "
        "only (not the client IP).",
        "CloudFront distribution",
        "cloudfront",
    ),
    ("synthetic", None, "Deploy the CF template as a stack in every account.", "CF", None),
    ("000:1231", None, "- __On-demand Mode__", "On-demand", None),
    ("001:4786", None, "- On-Demand Mode", "On-Demand", None),
    ("001:8015", None, "- On-Demand and Scheduled backups", "On-Demand", None),
    (
        "001:7541",
        None,
        "- Capacity can be added or removed on demand (more flexible than dedicated connection)",
        "on demand",
        None,
    ),
    (
        "001:1455",
        None,
        "- Provision using both On-Demand and Spot instances (or a mix)",
        "On-Demand",
        "ec2-purchasing-options",
    ),
    (
        "000:242",
        None,
        "- You’re charged at On-Demand rate whether you run instances or not",
        "On-Demand",
        "ec2-purchasing-options",
    ),
    (
        "001:5224",
        None,
        "- Security: IAM, Bucket Policies, ACL, Access Points, Object Lambda, CORS, Object/Vault "
        "Lock",
        "Vault Lock",
        None,
    ),
    (
        "000:748",
        None,
        "__S3 Object Lock and Glacier Vault Lock__",
        "Glacier Vault Lock",
        "s3-glacier",
    ),
    (
        "adapted 001:8025",
        "AWS Backup",
        "Vault Lock enforces a WORM state for all the backups in your AWS Backup Vault",
        "Vault Lock",
        "backup",
    ),
    ("001:1630", None, "- Multi AZ setup for DR (Disaster Recovery)", "DR", "disaster-recovery"),
    (
        "001:7986",
        None,
        " - Create a DR repository strategy for your on-premise VMs",
        "DR",
        "disaster-recovery",
    ),
    ("002:176", None, "HTTP 503 means LB is at capacity or not register target.", "LB", "elb"),
    (
        "002:199",
        None,
        "* When defining a HTTPS listener in a LB, we must specify a default certificate for the "
        "HTTPS protocol",
        "LB",
        "elb",
    ),
    ("001:1350", None, "- SNI is supported in CloudFront", "SNI", None),
    (
        "001:1347",
        None,
        "- Only works for ALB & NLB. They can load multiple certificates on each listener using "
        "SNI.",
        "SNI",
        "elb",
    ),
    (
        "000:569",
        "Server Name Indication (SNI)",
        "- SNI solves the problem of loading multiple SSL certificates onto one web server (to "
        "serve multiple websites)",
        "SNI",
        "elb",
    ),
    (
        "001:543",
        None,
        " - Higher Speed EBS - Nitro is necessary for 64,000 EBS IOPS max 32,000 on non-Nitro",
        "Nitro",
        "ec2",
    ),
    ("synthetic", None, "The nitro cold brew is served at the conference.", "nitro", None),
    ("001:125", None, "- User data is used to automate boot tasks such as:", "User data", "ec2"),
    ("002:386", None, "It can be enhanced with a RDS to keep user data.", "user data", None),
    (
        "001:6289",
        None,
        "- SSO access to many SAML 2.0 business applications (Salesforce, Box, Microsoft 365, ...)",
        "SAM",
        None,
    ),
    ("001:5016", None, "- SAM can use CodeDeploy to deploy Lambda functions", "SAM", "sam"),
    (
        "003:711",
        None,
        "- you can use Lambda@Edge: deploy Lambda functions alongside your CloudFront CDN to run "
        "a global lambda",
        "Lambda@Edge",
        "lambda-edge",
    ),
    (
        "001:6888",
        None,
        "- CloudWatch Events rules can target AWS Lambda or SNS for automation",
        "CloudWatch Events",
        "eventbridge",
    ),
    (
        "000:1956",
        None,
        "   - Kinesis Data Firehose (KDF) to send the data into S3 or Redshift",
        "Kinesis Data Firehose",
        "kinesis-data-firehose",
    ),
    (
        "001:6886",
        None,
        " - Kubernetes Audit Logs - suspicious activities and potential EKS cluster compromises",
        "Kubernetes",
        None,
    ),
    ("000:1190", None, "- Up to 16 Read Replicas per secondary region", "Read Replicas", None),
    (
        "001:1656",
        None,
        "- Read Replicas allow us to scale the read operation on RDS.",
        "Read Replicas",
        "rds",
    ),
    (
        "001:5150",
        "Amazon Neptune",
        "- Highly available across 3 AZ, with up to 15 read replicas",
        "read replicas",
        None,
    ),
    ("000:508", None, "- Health checks are done at the target group level", "Health checks", None),
    (
        "001:4477",
        None,
        "- Amazon ECS Auto Scaling uses AWS Application Auto Scaling",
        "Auto Scaling",
        None,
    ),
    ("001:5691", None, "- Trigger Auto Scaling Action (ASG)", "Auto Scaling", "ec2-auto-scaling"),
    ("000:1437", None, "- __Interface Endpoints (powered by PrivateLink)__", "PrivateLink", None),
    ("000:1929", "SNS", "For SNS for Simple Queue Service", "Simple Queue Service", None),
    ("000:1832", "SQS", "For Simple Notification Service", "Simple Notification Service", None),
    (
        "000:704",
        None,
        "- If you use SSE-KMS, you may be impacted by the KMS limits quotas",
        "KMS",
        "kms",
    ),
    ("000:167", None, "- Batch processing workloads", "Batch", None),
    (
        "001:4259",
        None,
        "- Load streaming data into S3 / Redshift / ES / 3rd party / custom HTTP",
        "ES",
        None,
    ),
    ("000:847", None, "- Can copy snapshots across AZ or Region", "Region", None),
    (
        "001:6611",
        None,
        "| aws/lambda | d9307ec69-fbe2-42b5-abef-386aec842025 | Enabled |",
        "lambda",
        None,
    ),
    (
        "000:2985",
        None,
        "- Uses __Machine Learning algorithms__, anomaly detection, 3rd party data",
        "anomaly detection",
        None,
    ),
    # Emphasis in a heading is markup, not words: the heading still names its service.
    (
        "emphasised heading",
        "*Server Name Indication (SNI)*",
        "- SNI solves the problem of loading multiple SSL certificates onto one web server",
        "SNI",
        "elb",
    ),
    (
        "emphasised heading",
        "**SQS**",
        "For Simple Notification Service",
        "Simple Notification Service",
        None,
    ),
]


@pytest.mark.parametrize(
    ("ref", "heading", "sentence", "surface", "expected"),
    CASES,
    ids=[f"{c[0]}-{c[3]}-{c[4]}" for c in CASES],
)
def test_ambiguous_mention(
    linker: Linker, ref: str, heading: str | None, sentence: str, surface: str, expected: str | None
) -> None:
    md = (f"## {heading}\n\n" if heading else "") + sentence + "\n"
    result = linker.link(md, "notes/page.md")
    start = len(md) - len(sentence) - 1
    got = [k.target for k in result.links if k.start >= start and k.text == surface]
    assert got[:1] == ([expected] if expected else []), (
        ref,
        [(k.text, k.target) for k in result.links],
    )


def test_enough_cases_from_the_notes() -> None:
    from_notes = [c for c in CASES if c[0][0].isdigit()]
    assert len(from_notes) >= 30
    words = " ".join(c[3].lower() for c in CASES)
    for word in (
        "ram",
        "eb",
        "sms",
        "config",
        "connect",
        "backup",
        "kafka",
        "redis",
        "gateway",
        "cf",
        "on-demand",
        "vault lock",
        "dr",
        "lb",
        "sni",
        "nitro",
        "user data",
    ):
        assert word in words, word


def test_kms_inside_sse_kms_does_not_link(linker: Linker) -> None:
    md = "- If you use SSE-KMS, you may be impacted by the KMS limits quotas\n"
    result = linker.link(md, "notes/page.md")
    assert [(k.text, k.start) for k in result.links] == [("KMS", md.index("KMS limits"))]


def test_sentence_is_the_context_window(linker: Linker) -> None:
    # "compliance" in the next sentence must not vouch for "Config" in this one.
    md = "Config file here. Config checks compliance.\n"
    result = linker.link(md, "notes/page.md")
    assert [(k.text, k.start) for k in result.links] == [("Config", md.index("Config checks"))]


def test_a_context_name_links_when_its_sentence_names_the_service_another_way(
    linker: Linker,
) -> None:
    # "Nitro" needs context; "Elastic Compute Cloud" (an EC2 name that links on its own, not
    # one of Nitro's context words) gives it, so the first mention, "Nitro", carries the link.
    md = "# Page\n\n## Hosts\n\nNitro powers the Elastic Compute Cloud hosts.\n"
    out = linker.link(md, "x/page.md").markdown
    assert "[Nitro](../svc/ec2.md) powers the Elastic Compute Cloud hosts." in out
    alone = linker.link("# Page\n\n## Hosts\n\nNitro powers the hosts.\n", "x/page.md").markdown
    assert "[Nitro]" not in alone
