"""Sentences of the 培育库 shown in more than one place."""

INVITATION_SUBJECT = "【镇江市创新联合体平台】邀请注册：{name}"
INVITATION_BODY = """{contact}：

{inviter}将贵单位（{name}）列入镇江市创新联合体牵头单位培育库，诚邀贵单位在镇江市创新联合体备案与管理平台注册，
注册后可在线填报创新联合体备案申请书（《镇江市创新联合体培育建设工作方案》（镇科机〔2023〕104号）四（一））。

请打开以下链接注册（单位名称、统一社会信用代码、所在辖市区和联系人已预先填好，请核对）：
{link}

链接 60 天内有效。注册提交后由{bureau}审核。如有疑问，请联系{inviter}。

镇江市科学技术局"""
NOT_YOURS = "只能处理本辖市区的培育对象。"
ONLY_BEFORE_APPLYING = "该企业已提交备案申请，状态随申请自动更新，不能再邀请或标记为不再跟进。"
NOT_EDITABLE = "该企业已提交备案申请，培育库信息不再修改，以申请书为准。"
