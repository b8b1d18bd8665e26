# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'sign_in.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QSizePolicy, QSpacerItem, QStackedWidget,
    QTextBrowser, QVBoxLayout, QWidget)

class Ui_SignInDialog(object):
    def setupUi(self, SignInDialog):
        if not SignInDialog.objectName():
            SignInDialog.setObjectName(u"SignInDialog")
        SignInDialog.resize(560, 440)
        SignInDialog.setModal(True)
        self.mainLayout = QVBoxLayout(SignInDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.pages = QStackedWidget(SignInDialog)
        self.pages.setObjectName(u"pages")
        self.bannerPage = QWidget()
        self.bannerPage.setObjectName(u"bannerPage")
        self.bannerLayout = QVBoxLayout(self.bannerPage)
        self.bannerLayout.setObjectName(u"bannerLayout")
        self.bannerLayout.setContentsMargins(0, 0, 0, 0)
        self.bannerTitle = QLabel(self.bannerPage)
        self.bannerTitle.setObjectName(u"bannerTitle")

        self.bannerLayout.addWidget(self.bannerTitle)

        self.bannerText = QTextBrowser(self.bannerPage)
        self.bannerText.setObjectName(u"bannerText")
        self.bannerText.setOpenLinks(False)

        self.bannerLayout.addWidget(self.bannerText)

        self.bannerButtons = QHBoxLayout()
        self.bannerButtons.setObjectName(u"bannerButtons")
        self.bannerSpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.bannerButtons.addItem(self.bannerSpacer)

        self.declineButton = QPushButton(self.bannerPage)
        self.declineButton.setObjectName(u"declineButton")
        self.declineButton.setAutoDefault(False)

        self.bannerButtons.addWidget(self.declineButton)

        self.acknowledgeButton = QPushButton(self.bannerPage)
        self.acknowledgeButton.setObjectName(u"acknowledgeButton")

        self.bannerButtons.addWidget(self.acknowledgeButton)


        self.bannerLayout.addLayout(self.bannerButtons)

        self.pages.addWidget(self.bannerPage)
        self.credentialsPage = QWidget()
        self.credentialsPage.setObjectName(u"credentialsPage")
        self.credentialsLayout = QVBoxLayout(self.credentialsPage)
        self.credentialsLayout.setObjectName(u"credentialsLayout")
        self.credentialsLayout.setContentsMargins(0, 0, 0, 0)
        self.credentialsTitle = QLabel(self.credentialsPage)
        self.credentialsTitle.setObjectName(u"credentialsTitle")

        self.credentialsLayout.addWidget(self.credentialsTitle)

        self.contextLabel = QLabel(self.credentialsPage)
        self.contextLabel.setObjectName(u"contextLabel")
        self.contextLabel.setText(u"Store")
        self.contextLabel.setWordWrap(True)
        self.contextLabel.setTextFormat(Qt.TextFormat.PlainText)

        self.credentialsLayout.addWidget(self.contextLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.usernameLabel = QLabel(self.credentialsPage)
        self.usernameLabel.setObjectName(u"usernameLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.usernameLabel)

        self.usernameEdit = QLineEdit(self.credentialsPage)
        self.usernameEdit.setObjectName(u"usernameEdit")
        self.usernameEdit.setMaxLength(64)

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.usernameEdit)

        self.passwordLabel = QLabel(self.credentialsPage)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.passwordLabel)

        self.passwordEdit = QLineEdit(self.credentialsPage)
        self.passwordEdit.setObjectName(u"passwordEdit")
        self.passwordEdit.setMaxLength(256)
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.passwordEdit)


        self.credentialsLayout.addLayout(self.formLayout)

        self.errorLabel = QLabel(self.credentialsPage)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setStyleSheet(u"color: #b00020; font-weight: bold;")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextFormat(Qt.TextFormat.PlainText)

        self.credentialsLayout.addWidget(self.errorLabel)

        self.credentialsSpacer = QSpacerItem(20, 40, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.credentialsLayout.addItem(self.credentialsSpacer)

        self.buttonBox = QDialogButtonBox(self.credentialsPage)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.credentialsLayout.addWidget(self.buttonBox)

        self.pages.addWidget(self.credentialsPage)

        self.mainLayout.addWidget(self.pages)

#if QT_CONFIG(shortcut)
        self.usernameLabel.setBuddy(self.usernameEdit)
        self.passwordLabel.setBuddy(self.passwordEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.acknowledgeButton, self.declineButton)
        QWidget.setTabOrder(self.declineButton, self.bannerText)
        QWidget.setTabOrder(self.bannerText, self.usernameEdit)
        QWidget.setTabOrder(self.usernameEdit, self.passwordEdit)

        self.retranslateUi(SignInDialog)

        self.pages.setCurrentIndex(0)
        self.acknowledgeButton.setDefault(True)


        QMetaObject.connectSlotsByName(SignInDialog)
    # setupUi

    def retranslateUi(self, SignInDialog):
        SignInDialog.setWindowTitle(QCoreApplication.translate("SignInDialog", u"Sign In", None))
        self.bannerTitle.setText(QCoreApplication.translate("SignInDialog", u"<h3>System-use notice</h3>", None))
        self.declineButton.setText(QCoreApplication.translate("SignInDialog", u"&Decline", None))
        self.acknowledgeButton.setText(QCoreApplication.translate("SignInDialog", u"I &Acknowledge", None))
        self.credentialsTitle.setText(QCoreApplication.translate("SignInDialog", u"<h3>Sign in</h3>", None))
        self.usernameLabel.setText(QCoreApplication.translate("SignInDialog", u"&Username:", None))
        self.passwordLabel.setText(QCoreApplication.translate("SignInDialog", u"&Password:", None))
    # retranslateUi

